using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>Small conversions shared by the field types and the validator.</summary>
public static class FieldValues
{
    public static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => string.IsNullOrWhiteSpace(v.GetValue<string>()),
        _ => false,
    };

    /// <summary>The value as text when it is a JSON string (or a number/bool rendered invariantly).</summary>
    public static string? AsText(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    /// <summary>The value as a decimal from a JSON number or a numeric string.</summary>
    public static decimal? AsDecimal(JsonNode? value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                if (v.TryGetValue<decimal>(out var d))
                {
                    return d;
                }

                if (v.TryGetValue<double>(out var dbl) && double.IsFinite(dbl) && Math.Abs(dbl) < 7.9e27)
                {
                    return (decimal)dbl;
                }

                return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : null;
            case JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                return decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : null;
            default:
                return null;
        }
    }

    /// <summary>Two values are equal as stored JSON (strings compared ordinally, numbers by value).</summary>
    public static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var da = AsDecimal(a);
        var db = AsDecimal(b);
        if (da is not null && db is not null && a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number)
        {
            return da == db;
        }

        return JsonNode.DeepEquals(a, b);
    }
}
