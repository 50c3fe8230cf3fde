using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Printing;

namespace Platform.Core.Tests.Printing;

/// <summary>Formats like the runtime (labels, 是/否, money with two decimals) with names from a dictionary instead of the database.</summary>
internal sealed class FakePrintFormatter(IReadOnlyDictionary<string, string>? names = null) : IPrintFormatter
{
    public string? Format(FieldDefinition field, IReadOnlyList<FieldDefinition> siblings, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return field.Type switch
        {
            "select" => field.Options?.FirstOrDefault(o => o.Value == text)?.Label ?? text,
            "boolean" => value.GetValueKind() == JsonValueKind.True ? "是" : "否",
            "money" => value.GetValue<decimal>().ToString("#,##0.00", CultureInfo.InvariantCulture),
            "formula" when field.Scale is { } scale => value.GetValue<decimal>().ToString("#,##0." + new string('0', scale), CultureInfo.InvariantCulture),
            "reference" or "lookup" or "user" => names?.GetValueOrDefault(text) ?? text,
            _ => text,
        };
    }
}
