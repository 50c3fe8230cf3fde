using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Expressions;

namespace Platform.Core.Rules;

/// <summary>Texts with <c>{{ expression }}</c> placeholders (titles, messages, comments), rendered with the record's values.</summary>
public static partial class RuleText
{
    [GeneratedRegex(@"\{\{(.+?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    public static IEnumerable<string> Expressions(string? text) =>
        text is null ? [] : Placeholder().Matches(text).Select(m => m.Groups[1].Value.Trim());

    public static string Render(string text, IExpressionEngine engine, ExpressionScope scope)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        return Placeholder().Replace(text, m => ToText(engine.Evaluate(m.Groups[1].Value.Trim(), scope)));
    }

    private static string ToText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray a => string.Join("、", a.Select(ToText)),
        _ => value.ToJsonString(),
    };
}
