using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>
/// Sanitizes a print template's HTML and resolves its placeholders against the app's metadata. Problems carry the
/// offset in the designer's HTML; a template with any problem does not compile (it is refused on publish and import).
/// </summary>
public static partial class PrintTemplateCompiler
{
    /// <summary>Values every record has (see docs/printing.md).</summary>
    public static IReadOnlyList<string> SystemNames { get; } =
    [
        "_id", "_created_at", "_created_by", "_updated_at", "_updated_by", "_now", "_app", "_entity", "_template",
        "_status", "_step", "_tracking_no", "_tracking_url", "_record_url", "_index",
    ];

    /// <summary>The properties of a <c>{{#each _history}}</c> row.</summary>
    public static IReadOnlyList<string> HistoryNames { get; } = ["step", "action", "text", "by", "at", "comment"];

    /// <summary>Names that need the record's tracking number.</summary>
    private static readonly HashSet<string> TrackingNames = new(StringComparer.Ordinal) { "_tracking_no", "_tracking_url" };

    /// <summary>The field customers track <paramref name="entity"/> by: the tracking field of its public form, or null.</summary>
    public static string? TrackingField(AppDefinition app, string entity) =>
        app.PublicForms.FirstOrDefault(f => f.Entity == entity && f.TrackingField is not null)?.TrackingField;

    /// <summary>Compiles <paramref name="template"/>; the template is null whenever a problem was found.</summary>
    public static (CompiledPrintTemplate? Template, IReadOnlyList<PrintTemplateProblem> Problems) Compile(AppDefinition app, PrintTemplateDefinition template)
    {
        var problems = new List<PrintTemplateProblem>();
        var entity = app.FindEntity(template.Entity ?? string.Empty);
        if (entity is null || string.IsNullOrWhiteSpace(template.Html))
        {
            return (null, problems);
        }

        var (segments, htmlProblems) = PrintHtmlSanitizer.Sanitize(template.Html);
        problems.AddRange(htmlProblems);
        var state = new State(app, entity, problems);
        var root = new Scope(ScopeKind.Record, entity, entity.Fields, null);
        var stack = new Stack<Block>();
        stack.Push(new Block(null, null, root, new List<PrintNode>(), 0));

        foreach (var segment in segments)
        {
            if (!segment.IsText)
            {
                stack.Peek().Nodes.Add(new PrintLiteralNode(segment.Content, segment.Offset));
                continue;
            }

            Parse(segment, stack, state);
        }

        while (stack.Count > 1)
        {
            var open = stack.Pop();
            problems.Add(new(open.Offset, $"{{{{#{open.Kind} …}}}} 没有对应的 {{{{/{open.Kind}}}}}"));
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new CompiledPrintTemplate(template, entity, stack.Pop().Nodes, state.Related, state.UsesHistory, state.UsesFlow, state.UsesTracking), problems);
    }

    private static void Parse(PrintSegment segment, Stack<Block> stack, State state)
    {
        var text = segment.Content;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                stack.Peek().Nodes.Add(new PrintLiteralNode(text[at..], segment.Offset + at));
                return;
            }

            if (open > at)
            {
                stack.Peek().Nodes.Add(new PrintLiteralNode(text[at..open], segment.Offset + at));
            }

            var offset = segment.Offset + open;
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                state.Problems.Add(new(offset, "占位符没有结束（缺少 }}，占位符不能跨越标签）"));
                return;
            }

            Placeholder(text[(open + 2)..close].Trim(), offset, stack, state);
            at = close + 2;
        }
    }

    private static void Placeholder(string tag, int offset, Stack<Block> stack, State state)
    {
        var block = stack.Peek();
        var scope = block.Scope;
        var problems = state.Problems;
        if (tag.StartsWith("#each ", StringComparison.Ordinal))
        {
            var name = tag[6..].Trim();
            if (name == "_history")
            {
                if (scope.Kind != ScopeKind.Record || scope.Parent is not null)
                {
                    problems.Add(new(offset, "{{#each _history}} 只能用在模板最外层"));
                }

                state.UsesHistory = true;
                stack.Push(new Block("each", null, new Scope(ScopeKind.History, null, [], scope), new List<PrintNode>(), offset));
                return;
            }

            var source = scope.Kind is ScopeKind.Record ? scope.Entity!.FindField(name) : null;
            if (scope.Kind is not ScopeKind.Record)
            {
                problems.Add(new(offset, "{{#each}} 不能嵌套在子表或流转记录里"));
            }
            else if (source is not { Type: "sub-table" })
            {
                problems.Add(new(offset, $"'{scope.Entity!.Key}' 中没有子表字段 '{name}'（{{{{#each}}}} 只能遍历子表或 _history）"));
            }

            stack.Push(new Block("each", source, new Scope(ScopeKind.Row, null, source?.Fields ?? [], scope), new List<PrintNode>(), offset));
            return;
        }

        if (tag.StartsWith("#related ", StringComparison.Ordinal))
        {
            var source = tag[9..].Trim();
            var parts = source.Split('.');
            var target = parts.Length == 2 ? state.App.FindEntity(parts[0]) : null;
            var reference = target?.FindField(parts[1]);
            if (scope.Parent is not null)
            {
                problems.Add(new(offset, "{{#related}} 只能用在模板最外层"));
            }

            if (parts.Length != 2)
            {
                problems.Add(new(offset, $"'{source}' 应写作 实体.引用字段（如 part_usage.service_request）"));
            }
            else if (target is null)
            {
                problems.Add(new(offset, $"没有实体 '{parts[0]}'"));
            }
            else if (reference is not { Type: "reference" } || reference.Reference?.Entity != state.Entity.Key)
            {
                problems.Add(new(offset, $"'{parts[0]}' 中没有引用 '{state.Entity.Key}' 的字段 '{parts[1]}'"));
            }

            var related = new PrintRelatedSource(parts[0], parts.Length > 1 ? parts[1] : string.Empty);
            if (!state.Related.Contains(related))
            {
                state.Related.Add(related);
            }

            stack.Push(new Block("related", null, new Scope(ScopeKind.Record, target, target?.Fields ?? [], scope), new List<PrintNode>(), offset) { Related = related });
            return;
        }

        if (tag is "/each" or "/related")
        {
            var kind = tag[1..];
            if (block.Kind != kind)
            {
                problems.Add(new(offset, block.Kind is null ? $"多余的 {{{{{tag}}}}}" : $"{{{{{tag}}}}} 与 {{{{#{block.Kind}}}}} 不对应"));
                return;
            }

            stack.Pop();
            stack.Peek().Nodes.Add(kind == "each"
                ? new PrintEachNode(block.Source, block.Nodes, block.Offset)
                : new PrintRelatedNode(block.Related!, block.Scope.Entity!, block.Nodes, block.Offset));
            return;
        }

        if (tag == "qr" || tag.StartsWith("qr:", StringComparison.Ordinal))
        {
            var kind = tag == "qr" ? "tracking" : tag[3..].Trim();
            if (kind == "tracking")
            {
                state.UsesTracking = true;
                if (TrackingField(state.App, state.Entity.Key) is null)
                {
                    problems.Add(new(offset, $"实体 '{state.Entity.Key}' 没有追踪单号（没有设置 trackingField 的公开表单），不能使用 {{{{{tag}}}}}"));
                }

                block.Nodes.Add(new PrintQrNode("tracking", null, offset));
            }
            else if (kind == "record")
            {
                block.Nodes.Add(new PrintQrNode("record", null, offset));
            }
            else if (Resolve(kind, scope) is { Field: not null } binding)
            {
                block.Nodes.Add(new PrintQrNode("field", binding, offset));
            }
            else
            {
                problems.Add(new(offset, $"{{{{{tag}}}}}：没有字段 '{kind}'（可用 qr、qr:tracking、qr:record 或 qr:字段）"));
            }

            return;
        }

        var match = Name().Match(tag);
        if (!match.Success)
        {
            problems.Add(new(offset, $"无法识别的占位符 {{{{{tag}}}}}"));
            return;
        }

        var key = match.Groups[1].Value;
        var raw = match.Groups[2].Success;
        if (key.StartsWith('_'))
        {
            if (!SystemNames.Contains(key))
            {
                problems.Add(new(offset, $"未知的系统占位符 {{{{{tag}}}}}（可用：{string.Join("、", SystemNames)}）"));
                return;
            }

            if (key == "_index" && scope.Parent is null)
            {
                problems.Add(new(offset, "{{_index}} 只能用在 {{#each}} 或 {{#related}} 里"));
                return;
            }

            if (TrackingNames.Contains(key))
            {
                state.UsesTracking = true;
                if (TrackingField(state.App, state.Entity.Key) is null)
                {
                    problems.Add(new(offset, $"实体 '{state.Entity.Key}' 没有追踪单号（没有设置 trackingField 的公开表单），不能使用 {{{{{tag}}}}}"));
                    return;
                }
            }

            state.UsesFlow |= key is "_status" or "_step";
            block.Nodes.Add(new PrintValueNode(new PrintBinding(key, 0, null, null), raw, offset));
            return;
        }

        if (Resolve(key, scope) is not { } resolved)
        {
            problems.Add(new(offset, $"未知的占位符 {{{{{tag}}}}}：{Describe(scope)}中没有字段 '{key}'"));
            return;
        }

        block.Nodes.Add(new PrintValueNode(resolved, raw, offset));
    }

    /// <summary>A name in the scope, else in the scopes around it (a row can print its record's fields).</summary>
    private static PrintBinding? Resolve(string key, Scope scope)
    {
        var depth = 0;
        for (var s = scope; s is not null; s = s.Parent, depth++)
        {
            if (s.Kind == ScopeKind.History)
            {
                if (HistoryNames.Contains(key))
                {
                    return new PrintBinding(key, depth, null, null);
                }

                continue;
            }

            if (s.Fields.FirstOrDefault(f => f.Key == key) is { } field)
            {
                return new PrintBinding(key, depth, field, s.Fields);
            }
        }

        return null;
    }

    private static string Describe(Scope scope) => scope.Kind switch
    {
        ScopeKind.Row => "子表行及记录",
        ScopeKind.History => "流转记录及记录",
        _ => $"实体 '{scope.Entity?.Key}' ",
    };

    [GeneratedRegex(@"^(_?[a-z][a-z0-9_]*)(\.raw)?$")]
    private static partial Regex Name();

    private enum ScopeKind
    {
        Record,
        Row,
        History,
    }

    private sealed record Scope(ScopeKind Kind, EntityDefinition? Entity, IReadOnlyList<FieldDefinition> Fields, Scope? Parent);

    private sealed record Block(string? Kind, FieldDefinition? Source, Scope Scope, List<PrintNode> Nodes, int Offset)
    {
        public PrintRelatedSource? Related { get; init; }
    }

    private sealed class State(AppDefinition app, EntityDefinition entity, List<PrintTemplateProblem> problems)
    {
        public AppDefinition App { get; } = app;

        public EntityDefinition Entity { get; } = entity;

        public List<PrintTemplateProblem> Problems { get; } = problems;

        public List<PrintRelatedSource> Related { get; } = [];

        public bool UsesHistory { get; set; }

        public bool UsesFlow { get; set; }

        public bool UsesTracking { get; set; }
    }
}
