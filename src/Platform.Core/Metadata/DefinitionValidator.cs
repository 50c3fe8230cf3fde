using System.Text.RegularExpressions;
using Platform.Core.Access;
using Platform.Core.Expressions;
using Platform.Core.Flows;
using Platform.Core.Flows.Steps;
using Platform.Core.Forms;

namespace Platform.Core.Metadata;

/// <summary>
/// Checks a whole app definition and reports every problem with its JSON path: invalid or duplicate keys,
/// unknown field types, references to missing entities and fields, expressions that do not compile or read
/// unknown fields, formula cycles, form layouts and public forms naming missing fields, print templates with unsafe HTML or unknown placeholders.
/// </summary>
public sealed partial class DefinitionValidator(
    FieldTypeRegistry types, IExpressionEngine expressions, FlowStepRegistry? flowSteps = null, Platform.Core.Rules.Actions.RuleActionRegistry? ruleActions = null)
{
    private readonly FlowValidator flows = new(flowSteps ?? FlowStepRegistry.CreateDefault(), expressions);

    private readonly Platform.Core.Rules.RuleValidator rules = new(ruleActions ?? Platform.Core.Rules.Actions.RuleActionRegistry.CreateDefault(), expressions);

    private static readonly HashSet<string> ReservedKeys = new(StringComparer.Ordinal) { "id", "version", "data", "flow" };

    public IReadOnlyList<DefinitionProblem> Validate(AppDefinition app)
    {
        var problems = new List<DefinitionProblem>();
        void Add(string path, string message) => problems.Add(new DefinitionProblem(path, message));

        if (!Key().IsMatch(app.Key ?? string.Empty))
        {
            Add("$.app.key", $"应用标识 '{app.Key}' 无效：须为小写字母开头的 snake_case（最长 63 个字符）");
        }

        if (string.IsNullOrWhiteSpace(app.Name))
        {
            Add("$.app.name", "应用名称不能为空");
        }

        var entities = new Dictionary<string, EntityDefinition>(StringComparer.Ordinal);
        for (var i = 0; i < app.Entities.Count; i++)
        {
            var entity = app.Entities[i];
            var path = $"$.entities[{i}]";
            if (!Key().IsMatch(entity.Key ?? string.Empty))
            {
                Add($"{path}.key", $"实体标识 '{entity.Key}' 无效：须为小写字母开头的 snake_case");
            }
            else if (!entities.TryAdd(entity.Key!, entity))
            {
                Add($"{path}.key", $"实体标识 '{entity.Key}' 重复");
            }
        }

        for (var i = 0; i < app.Entities.Count; i++)
        {
            ValidateEntity(app.Entities[i], $"$.entities[{i}]", entities, Add);
        }

        CheckAggregateCycles(app, Add);

        var formKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < app.PublicForms.Count; i++)
        {
            var form = app.PublicForms[i];
            var path = $"$.publicForms[{i}]";
            if (!Key().IsMatch(form.Key ?? string.Empty))
            {
                Add($"{path}.key", $"公开表单标识 '{form.Key}' 无效");
            }
            else if (!formKeys.Add(form.Key!))
            {
                Add($"{path}.key", $"公开表单标识 '{form.Key}' 重复");
            }

            if (!entities.TryGetValue(form.Entity ?? string.Empty, out var target))
            {
                Add($"{path}.entity", $"公开表单引用了不存在的实体 '{form.Entity}'");
                continue;
            }

            for (var j = 0; j < form.Fields.Count; j++)
            {
                if (target.FindField(form.Fields[j]) is null)
                {
                    Add($"{path}.fields[{j}]", $"实体 '{target.Key}' 中没有字段 '{form.Fields[j]}'");
                }
            }

            if (form.TrackingField is { } tracking && target.FindField(tracking) is null)
            {
                Add($"{path}.trackingField", $"实体 '{target.Key}' 中没有字段 '{tracking}'");
            }

            if (form.PhoneField is { } phone && target.FindField(phone) is null)
            {
                Add($"{path}.phoneField", $"实体 '{target.Key}' 中没有字段 '{phone}'");
            }

            if (form.OfferWhen is { } offer)
            {
                if (form.SubjectField is not { } subjectField || target.FindField(subjectField)?.Reference?.Entity is not { } subjectKey
                    || !entities.TryGetValue(subjectKey, out var subject))
                {
                    Add($"{path}.offerWhen", "offerWhen 只用于按记录答复的表单（须有引用该记录的 subjectField） / offerWhen needs a per-record form (a subjectField referencing the record)");
                }
                else
                {
                    CheckExpression(offer, $"{path}.offerWhen", subject.Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal), Add, required: true);
                }
            }
        }

        CustomerPortalValidator.Validate(app, Add);
        FormLinkValidator.Validate(app, Add);

        var flowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < app.Flows.Count; i++)
        {
            var flow = app.Flows[i];
            if (flow.Key is not null && !flowKeys.Add(flow.Key))
            {
                Add($"$.flows[{i}].key", $"流程标识 '{flow.Key}' 重复");
            }

            entities.TryGetValue(flow.Entity ?? string.Empty, out var flowEntity);
            problems.AddRange(flows.Validate(flow, flowEntity, $"$.flows[{i}]"));
            MobileJobChecks.Validate(flow, flowEntity, entities, $"$.flows[{i}]", Add);
        }

        problems.AddRange(Platform.Core.Printing.PrintTemplateValidator.Validate(app));
        problems.AddRange(rules.Validate(app, app.Rules));
        problems.AddRange(Platform.Core.Reports.ReportValidator.Validate(app));
        return problems;
    }

    private void ValidateEntity(EntityDefinition entity, string path, Dictionary<string, EntityDefinition> entities, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(entity.Label))
        {
            add($"{path}.label", "实体名称不能为空");
        }

        if (entity.Fields.Count == 0)
        {
            add($"{path}.fields", "实体至少需要一个字段");
        }

        var keys = CheckFieldKeys(entity.Fields, $"{path}.fields", add);
        for (var j = 0; j < entity.Fields.Count; j++)
        {
            ValidateField(entity, entity.Fields[j], $"{path}.fields[{j}]", keys, entities, add, isRow: false);
        }

        FormulaGraph.Order(entity.Fields, expressions, out var cycles);
        foreach (var cycle in cycles)
        {
            var index = IndexOf(entity.Fields, cycle[0]);
            add($"{path}.fields[{index}].formula", $"公式循环引用：{string.Join(" → ", cycle)}");
        }

        if (entity.TitleField is { } title && !keys.Contains(title))
        {
            add($"{path}.titleField", $"没有字段 '{title}'");
        }

        var ruleKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < entity.Validations.Count; r++)
        {
            var rule = entity.Validations[r];
            var rulePath = $"{path}.validations[{r}]";
            if (!Key().IsMatch(rule.Key ?? string.Empty) || !ruleKeys.Add(rule.Key!))
            {
                add($"{rulePath}.key", $"校验规则标识 '{rule.Key}' 无效或重复");
            }

            if (!keys.Contains(rule.Field ?? string.Empty))
            {
                add($"{rulePath}.field", $"没有字段 '{rule.Field}'");
            }

            if (string.IsNullOrWhiteSpace(rule.Message))
            {
                add($"{rulePath}.message", "校验规则须有提示信息");
            }

            CheckExpression(rule.Expression, $"{rulePath}.expression", keys, add, required: true);
            CheckExpression(rule.When, $"{rulePath}.when", keys, add);
        }

        if (entity.Permissions is { } permissions)
        {
            CheckPermissions(permissions, $"{path}.permissions", keys, add);
        }

        if (entity.Form is { } form)
        {
            var placed = new HashSet<string>(StringComparer.Ordinal);
            var sectionKeys = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < form.Sections.Count; s++)
            {
                var section = form.Sections[s];
                var sectionPath = $"{path}.form.sections[{s}]";
                if (!Key().IsMatch(section.Key ?? string.Empty) || !sectionKeys.Add(section.Key!))
                {
                    add($"{sectionPath}.key", $"分区标识 '{section.Key}' 无效或重复");
                }

                if (section.Columns is < 1 or > 4)
                {
                    add($"{sectionPath}.columns", "列数须为 1 到 4");
                }

                CheckExpression(section.VisibleWhen, $"{sectionPath}.visibleWhen", keys, add);
                for (var f = 0; f < section.Fields.Count; f++)
                {
                    var key = section.Fields[f];
                    if (!keys.Contains(key))
                    {
                        add($"{sectionPath}.fields[{f}]", $"没有字段 '{key}'");
                    }
                    else if (!placed.Add(key))
                    {
                        add($"{sectionPath}.fields[{f}]", $"字段 '{key}' 在表单中出现了两次");
                    }
                }
            }
        }
    }

    private static void CheckPermissions(IReadOnlyList<EntityPermission> permissions, string path, IReadOnlySet<string> keys, Action<string, string> add)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < permissions.Count; p++)
        {
            var permission = permissions[p];
            var at = $"{path}[{p}]";
            if (!Key().IsMatch(permission.Role ?? string.Empty))
            {
                add($"{at}.role", $"角色标识 '{permission.Role}' 无效 / invalid role key");
            }
            else if (!roles.Add(permission.Role!))
            {
                add($"{at}.role", $"角色 '{permission.Role}' 的权限写了两次 / role listed twice");
            }

            foreach (var (name, scope) in new[] { ("read", permission.Read), ("update", permission.Update), ("delete", permission.Delete) })
            {
                if (!RowScopes.TryParse(scope, RowScope.None, out _))
                {
                    add($"{at}.{name}", $"数据范围 '{scope}' 无效，可选 {string.Join(", ", RowScopes.Names)} / unknown row scope");
                }
            }

            foreach (var (field, access) in permission.Fields)
            {
                if (!keys.Contains(field))
                {
                    add($"{at}.fields.{field}", $"没有字段 '{field}' / no such field");
                }
                else if (access is not ("hidden" or "read" or "write"))
                {
                    add($"{at}.fields.{field}", $"字段权限 '{access}' 无效，可选 hidden, read, write / unknown field access");
                }
            }
        }
    }

    private void ValidateField(
        EntityDefinition entity, FieldDefinition field, string path, IReadOnlySet<string> keys,
        Dictionary<string, EntityDefinition> entities, Action<string, string> add, bool isRow)
    {
        if (!types.TryGet(field.Type, out var type))
        {
            add($"{path}.type", $"未知字段类型 '{field.Type}'（可用：{string.Join(", ", types.Names)}）");
            return;
        }

        if (field.Display is { } shownAs && !type.Displays.Contains(shownAs))
        {
            add($"{path}.display", type.Displays.Count == 0
                ? $"{field.Type} 类型没有显示方式 '{shownAs}' / the {field.Type} type has no displays"
                : $"未知显示方式 '{shownAs}'（可用：{string.Join(", ", type.Displays)}）/ unknown display");
        }

        foreach (var (relative, message) in type.CheckDefinition(field))
        {
            add($"{path}.{relative}", message);
        }

        var scopeKeys = isRow ? keys.Append("$record").ToHashSet(StringComparer.Ordinal) : keys;
        CheckExpression(field.VisibleWhen, $"{path}.visibleWhen", scopeKeys, add);
        CheckExpression(field.RequiredWhen, $"{path}.requiredWhen", scopeKeys, add);
        CheckExpression(field.DefaultExpression, $"{path}.defaultExpression", scopeKeys, add);
        CheckExpression(field.MinExpression, $"{path}.minExpression", scopeKeys, add);
        CheckExpression(field.MaxExpression, $"{path}.maxExpression", scopeKeys, add);
        if (field.Type == "formula")
        {
            CheckExpression(field.Formula, $"{path}.formula", scopeKeys, add);
        }

        if (field.Default is not null && field.Type != "sub-table" && !type.Normalize(field, field.Default).IsValid)
        {
            add($"{path}.default", $"默认值无效：{type.Normalize(field, field.Default).Error}");
        }

        if (field.Reference is { } reference)
        {
            if (!entities.TryGetValue(reference.Entity ?? string.Empty, out var target))
            {
                add($"{path}.reference.entity", $"引用了不存在的实体 '{reference.Entity}'");
            }
            else if (reference.DisplayField is { } display && target.FindField(display) is null)
            {
                add($"{path}.reference.displayField", $"实体 '{target.Key}' 中没有字段 '{display}'");
            }
        }

        if (field.Aggregate is { } aggregate && field.Type == "aggregate")
        {
            if (isRow)
            {
                add($"{path}.type", "子表中不支持 'aggregate' 字段");
            }
            else
            {
                CheckAggregate(entity, aggregate, $"{path}.aggregate", entities, add);
            }
        }

        if (field.Lookup is { } lookup && field.Type == "lookup")
        {
            CheckLookup(entity, lookup, path, keys, entities, add, isRow);
        }

        if (field.Type == "sub-table" && field.Fields is { Count: > 0 } rowFields)
        {
            if (isRow)
            {
                add($"{path}.type", "子表中不能再嵌套子表");
                return;
            }

            var rowKeys = CheckFieldKeys(rowFields, $"{path}.fields", add);
            for (var r = 0; r < rowFields.Count; r++)
            {
                if (rowFields[r].Type is "auto-number" or "lookup")
                {
                    add($"{path}.fields[{r}].type", $"子表中不支持 '{rowFields[r].Type}' 字段");
                    continue;
                }

                ValidateField(entity, rowFields[r], $"{path}.fields[{r}]", rowKeys, entities, add, isRow: true);
            }

            FormulaGraph.Order(rowFields, expressions, out var cycles);
            foreach (var cycle in cycles)
            {
                add($"{path}.fields[{IndexOf(rowFields, cycle[0])}].formula", $"公式循环引用：{string.Join(" → ", cycle)}");
            }
        }
    }

    /// <summary>The counted entity exists, its reference field points back at this entity, summed and filtered fields exist.</summary>
    private void CheckAggregate(EntityDefinition entity, AggregateSettings aggregate, string path, Dictionary<string, EntityDefinition> entities, Action<string, string> add)
    {
        if (!entities.TryGetValue(aggregate.Entity ?? string.Empty, out var source))
        {
            add($"{path}.entity", $"汇总引用了不存在的实体 '{aggregate.Entity}'");
            return;
        }

        if (source.FindField(aggregate.Reference ?? string.Empty) is not { } reference)
        {
            add($"{path}.reference", $"实体 '{source.Key}' 中没有字段 '{aggregate.Reference}'");
        }
        else if (reference.Type != "reference" || reference.Reference?.Entity != entity.Key)
        {
            add($"{path}.reference", $"'{source.Key}.{reference.Key}' 须是指向 '{entity.Key}' 的引用字段（现在：{reference.Type}{(reference.Reference is { } r ? " → " + r.Entity : string.Empty)}）");
        }

        if (aggregate.Function == "sum" && aggregate.Field is { } summed)
        {
            if (source.FindField(summed) is not { } field)
            {
                add($"{path}.field", $"实体 '{source.Key}' 中没有字段 '{summed}'");
            }
            else if (!types.TryGet(field.Type, out var type) || type.Storage != FieldStorage.Number || (field.Type == "formula" && field.Scale is null))
            {
                add($"{path}.field", $"'{source.Key}.{summed}' 不是数值字段，不能求和");
            }
        }

        for (var i = 0; i < aggregate.Where.Count; i++)
        {
            var key = aggregate.Where[i].Field;
            if (source.FindField(key ?? string.Empty) is not { } field)
            {
                add($"{path}.where[{i}].field", $"实体 '{source.Key}' 中没有字段 '{key}'");
            }
            else if (field.Type is "sub-table" or "multi-select" or "image" or "video" or "file")
            {
                add($"{path}.where[{i}].field", $"汇总条件不支持 '{field.Type}' 字段 '{key}'");
            }
        }
    }

    /// <summary>A sum over an aggregate field of another entity is fine; a chain that comes back to where it started never settles.</summary>
    private static void CheckAggregateCycles(AppDefinition app, Action<string, string> add)
    {
        string? Next(string entityKey, string fieldKey) =>
            app.FindEntity(entityKey)?.FindField(fieldKey)?.Aggregate is { Function: "sum", Field: { } summed } aggregate
            && app.FindEntity(aggregate.Entity)?.FindField(summed) is { Type: "aggregate" }
                ? $"{aggregate.Entity}.{summed}"
                : null;

        for (var i = 0; i < app.Entities.Count; i++)
        {
            var fields = app.Entities[i].Fields;
            for (var j = 0; j < fields.Count; j++)
            {
                if (fields[j].Type != "aggregate")
                {
                    continue;
                }

                var start = $"{app.Entities[i].Key}.{fields[j].Key}";
                var chain = new List<string> { start };
                for (var at = start; Next(at[..at.IndexOf('.', StringComparison.Ordinal)], at[(at.IndexOf('.', StringComparison.Ordinal) + 1)..]) is { } next && chain.Count <= app.Entities.Count * 4;)
                {
                    chain.Add(next);
                    if (next == start)
                    {
                        add($"$.entities[{i}].fields[{j}].aggregate.field", $"汇总循环引用：{string.Join(" → ", chain)}");
                        break;
                    }

                    if (chain.IndexOf(next) < chain.Count - 1)
                    {
                        break;
                    }

                    at = next;
                }
            }
        }
    }

    private static void CheckLookup(
        EntityDefinition entity, LookupSettings lookup, string path, IReadOnlySet<string> keys,
        Dictionary<string, EntityDefinition> entities, Action<string, string> add, bool isRow)
    {
        if (isRow)
        {
            add($"{path}.type", "子表中不支持查找字段");
            return;
        }

        IReadOnlyList<FieldDefinition>? sourceFields = null;
        var sourceName = string.Empty;
        if (lookup.Entity is { } target)
        {
            if (!entities.TryGetValue(target, out var targetEntity))
            {
                add($"{path}.lookup.entity", $"引用了不存在的实体 '{target}'");
                return;
            }

            sourceFields = targetEntity.Fields;
            sourceName = target;
        }
        else if (lookup.Source is { } source)
        {
            var sourceField = entity.FindField(source);
            if (sourceField is not { Type: "lookup", Lookup.Entity: { } sourceEntityKey })
            {
                add($"{path}.lookup.source", $"'{source}' 须为本实体中按实体查找的查找字段");
                return;
            }

            if (!entities.TryGetValue(sourceEntityKey, out var sourceEntity))
            {
                return;
            }

            var rows = sourceEntity.FindField(lookup.Rows ?? string.Empty);
            if (rows is not { Type: "sub-table", Fields: not null })
            {
                add($"{path}.lookup.rows", $"实体 '{sourceEntityKey}' 中没有子表字段 '{lookup.Rows}'");
                return;
            }

            sourceFields = rows.Fields;
            sourceName = $"{sourceEntityKey}.{lookup.Rows}";
        }

        if (sourceFields is null)
        {
            return;
        }

        if (sourceFields.All(f => f.Key != lookup.MatchField))
        {
            add($"{path}.lookup.matchField", $"'{sourceName}' 中没有字段 '{lookup.MatchField}'");
        }

        foreach (var (to, from) in lookup.Fill)
        {
            if (!keys.Contains(to))
            {
                add($"{path}.lookup.fill.{to}", $"回填目标字段 '{to}' 不存在");
            }

            if (sourceFields.All(f => f.Key != from))
            {
                add($"{path}.lookup.fill.{to}", $"'{sourceName}' 中没有字段 '{from}'");
            }
        }
    }

    private static HashSet<string> CheckFieldKeys(IReadOnlyList<FieldDefinition> fields, string path, Action<string, string> add)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < fields.Count; j++)
        {
            var key = fields[j].Key;
            if (!Key().IsMatch(key ?? string.Empty))
            {
                add($"{path}[{j}].key", $"字段标识 '{key}' 无效：须为小写字母开头的 snake_case");
            }
            else if (ReservedKeys.Contains(key!))
            {
                add($"{path}[{j}].key", $"字段标识 '{key}' 为保留字");
            }
            else if (!keys.Add(key!))
            {
                add($"{path}[{j}].key", $"字段标识 '{key}' 重复");
            }
        }

        return keys;
    }

    private void CheckExpression(string? source, string path, IReadOnlySet<string> keys, Action<string, string> add, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            if (required)
            {
                add(path, "表达式不能为空");
            }

            return;
        }

        if (expressions.Check(source) is { } fault)
        {
            add(path, $"表达式无法编译：{fault.Reason}");
            return;
        }

        foreach (var name in expressions.GetFreeVariables(source))
        {
            if (!keys.Contains(name))
            {
                add(path, $"表达式引用了不存在的字段 '{name}'");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<FieldDefinition> fields, string key)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Key == key)
            {
                return i;
            }
        }

        return 0;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();
}
