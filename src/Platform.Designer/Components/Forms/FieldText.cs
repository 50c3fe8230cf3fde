using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Forms;

/// <summary>How a stored value reads on a form (read-only fields, formulas, lookups) and how inputs convert to and from JSON.</summary>
public static class FieldText
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>The value as text for a read-only field; references and options by their labels.</summary>
    public static string Format(FieldDefinition field, JsonNode? value, RecordFormState? state = null)
    {
        if (FieldValues.IsEmpty(value) && field.Type != "boolean")
        {
            return string.Empty;
        }

        switch (field.Type)
        {
            case "select":
                return OptionLabel(field, FieldValues.AsText(value));
            case "multi-select":
                return value is JsonArray items ? string.Join("、", items.Select(i => OptionLabel(field, FieldValues.AsText(i)))) : OptionLabel(field, FieldValues.AsText(value));
            case "boolean":
                return value is null ? string.Empty : value.GetValueKind() == JsonValueKind.True ? T("是", "Yes") : T("否", "No");
            case "money":
                return FieldValues.AsDecimal(value) is { } money ? "¥" + money.ToString("N" + (field.Scale ?? 2), CultureInfo.InvariantCulture) : value!.ToString();
            case "integer" when RatingText.Stars(field, value) is { } stars:
                return stars;
            case "number":
            case "integer":
            case "formula":
            case "aggregate":
                return FieldValues.AsDecimal(value) is { } number && value!.GetValueKind() == JsonValueKind.Number
                    ? number.ToString(field.Scale is { } scale ? "N" + scale : "#,##0.######", CultureInfo.InvariantCulture)
                    : value is JsonValue ? value.ToString() : value!.ToJsonString();
            case "datetime":
                return DateTimeOffset.TryParse(FieldValues.AsText(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at.ToOffset(China).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                    : FieldValues.AsText(value) ?? string.Empty;
            case "reference":
                return field.Reference is { } reference && state?.ReferenceTitle(reference, FieldValues.AsText(value)) is { } title
                    ? title
                    : FieldValues.AsText(value) ?? string.Empty;
            case "lookup" when field.Lookup?.Source is not null && state is not null:
                var text = FieldValues.AsText(value);
                return state.RowOptions(field).FirstOrDefault(o => o.Value == text).Label ?? text ?? string.Empty;
            case "image":
            case "video":
            case "file":
                return value is JsonArray files ? T($"{files.Count} 个文件", $"{files.Count} file(s)") : string.Empty;
            case "sub-table":
                return value is JsonArray rows ? T($"{rows.Count} 行", $"{rows.Count} row(s)") : string.Empty;
            default:
                return FieldValues.AsText(value) ?? value!.ToJsonString();
        }
    }

    public static string OptionLabel(FieldDefinition field, string? value)
    {
        var option = field.Options?.FirstOrDefault(o => o.Value == value);
        return option is null ? value ?? string.Empty : Label(option.Label, option.LabelEn, option.Value);
    }

    /// <summary>A text input's value as JSON (blank → null).</summary>
    public static JsonNode? FromText(string? text) => string.IsNullOrWhiteSpace(text) ? null : JsonValue.Create(text);

    public static JsonNode? FromNumber(decimal? number) => number is { } n ? JsonValue.Create(n) : null;

    /// <summary>A stored datetime (UTC ISO) as a datetime-local input value in China time.</summary>
    public static string? ToLocalInput(JsonNode? value) =>
        DateTimeOffset.TryParse(FieldValues.AsText(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToOffset(China).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)
            : FieldValues.AsText(value);

    /// <summary>A datetime-local input value (China time, no offset) as the server takes it.</summary>
    public static JsonNode? FromLocalInput(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : JsonValue.Create(text.Length == 16 ? text + ":00+08:00" : text);

    public static decimal? ToNumber(JsonNode? value) => FieldValues.AsDecimal(value);

    /// <summary>
    /// What was typed into a number input as JSON: blank → null, a number → the number, anything else stays the text so
    /// the validator names it (as the server would) instead of the input silently dropping it.
    /// </summary>
    public static JsonNode? FromNumberText(string? text)
    {
        var trimmed = text?.Trim().Replace(",", string.Empty, StringComparison.Ordinal);
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text!.Trim());
    }

    /// <summary>A stored number as a number input shows it (a non-number as its text).</summary>
    public static string NumberText(JsonNode? value) =>
        ToNumber(value) is { } n ? n.ToString(CultureInfo.InvariantCulture) : FieldValues.AsText(value) ?? string.Empty;

    public static IReadOnlyList<string> ToTexts(JsonNode? value) =>
        value is JsonArray items ? items.Select(FieldValues.AsText).OfType<string>().ToList() : FieldValues.AsText(value) is { } one ? [one] : [];

    public static JsonNode? FromTexts(IEnumerable<string>? values)
    {
        var list = values?.Where(v => !string.IsNullOrEmpty(v)).ToList() ?? [];
        return list.Count == 0 ? null : new JsonArray(list.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    /// <summary>Wide inputs take the whole row of a section.</summary>
    public static bool IsWide(FieldDefinition field) => field.Type is "textarea" or "sub-table" or "image" or "video" or "file";
}
