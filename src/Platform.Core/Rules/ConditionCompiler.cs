using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules;

/// <summary>
/// Compiles the condition builder's tree to one expression of the expression language, so a built condition and a
/// typed one run through the same sandbox. Field names come only from the entity; values are emitted as JSON
/// literals (never spliced as source), so a value cannot inject code.
/// </summary>
public static class ConditionCompiler
{
    /// <summary>The operators the builder offers.</summary>
    public static readonly IReadOnlyList<string> Operators =
        ["eq", "ne", "gt", "ge", "lt", "le", "contains", "notContains", "in", "notIn", "empty", "notEmpty", "startsWith", "withinDays", "olderThanDays"];

    /// <summary>The expression for <paramref name="node"/>; problems (with their JSON path below <paramref name="path"/>) go to <paramref name="problems"/>.</summary>
    public static string Compile(ConditionNode node, EntityDefinition? entity, string path, ICollection<DefinitionProblem> problems)
    {
        var sb = new StringBuilder();
        Append(sb, node, entity, path, problems);
        return sb.ToString();
    }

    /// <summary>Compiles, throwing when the tree has a problem (definitions are validated before they run).</summary>
    public static string Compile(ConditionNode node, EntityDefinition? entity)
    {
        var problems = new List<DefinitionProblem>();
        var source = Compile(node, entity, "$", problems);
        return problems.Count == 0 ? source : throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
    }

    private static void Append(StringBuilder sb, ConditionNode node, EntityDefinition? entity, string path, ICollection<DefinitionProblem> problems)
    {
        if (node.All is not null || node.Any is not null)
        {
            if (node.All is not null && node.Any is not null)
            {
                problems.Add(new DefinitionProblem(path, "条件组只能是 all 或 any 之一"));
            }

            var (items, joiner, empty, key) = node.All is not null ? (node.All, " && ", "true", "all") : (node.Any!, " || ", "false", "any");
            if (items.Count == 0)
            {
                sb.Append(empty);
                return;
            }

            sb.Append('(');
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(joiner);
                }

                Append(sb, items[i], entity, $"{path}.{key}[{i}]", problems);
            }

            sb.Append(')');
            return;
        }

        var field = node.Field;
        if (string.IsNullOrEmpty(field) || !IsIdentifier(field))
        {
            problems.Add(new DefinitionProblem($"{path}.field", $"条件缺少有效的字段 '{field}'"));
            sb.Append("false");
            return;
        }

        if (entity is not null && entity.FindField(field) is null)
        {
            problems.Add(new DefinitionProblem($"{path}.field", $"字段 '{field}' 不存在"));
        }

        var op = node.Op ?? "eq";
        if (!Operators.Contains(op))
        {
            problems.Add(new DefinitionProblem($"{path}.op", $"未知的运算符 '{op}'，应为 {string.Join(", ", Operators)}"));
            sb.Append("false");
            return;
        }

        string value;
        if (node.ValueExpression is { Length: > 0 } expression)
        {
            value = $"({expression})";
        }
        else
        {
            value = Literal(node.Value);
            if (op is "in" or "notIn" && node.Value is not JsonArray)
            {
                problems.Add(new DefinitionProblem($"{path}.value", $"运算符 {op} 需要一个数组值"));
            }

            if (op is "withinDays" or "olderThanDays" && node.Value?.GetValueKind() != JsonValueKind.Number)
            {
                problems.Add(new DefinitionProblem($"{path}.value", $"运算符 {op} 需要一个天数"));
            }
        }

        sb.Append(op switch
        {
            "eq" => $"({field} == {value})",
            "ne" => $"({field} != {value})",
            "gt" => $"({field} != null && {field} > {value})",
            "ge" => $"({field} != null && {field} >= {value})",
            "lt" => $"({field} != null && {field} < {value})",
            "le" => $"({field} != null && {field} <= {value})",
            "contains" => $"contains({field}, {value})",
            "notContains" => $"!contains({field}, {value})",
            "in" => $"({value}.indexOf({field}) >= 0)",
            "notIn" => $"({value}.indexOf({field}) < 0)",
            "empty" => $"isEmpty({field})",
            "notEmpty" => $"!isEmpty({field})",
            "startsWith" => $"(typeof {field} === 'string' && {field}.indexOf({value}) === 0)",
            "withinDays" => $"({field} != null && daysBetween({field}, today()) <= {value})",
            _ => $"({field} != null && daysBetween({field}, today()) > {value})",
        });
    }

    // A JSON number is a JavaScript number literal; reading it as decimal would throw for a value built in code
    // (JsonValue.Create(3) holds an int, not a JsonElement).
    private static string Literal(JsonNode? value) => value is null ? "null" : value.ToJsonString(LiteralOptions);

    private static readonly JsonSerializerOptions LiteralOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

    private static bool IsIdentifier(string s) =>
        (char.IsAsciiLetterLower(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
