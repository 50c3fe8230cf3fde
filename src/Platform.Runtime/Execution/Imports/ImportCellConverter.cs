using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.Imports;

/// <summary>
/// Turns a sheet cell into the JSON value the form engine expects: option labels to values (华东 → east),
/// multi-select split by | , ， ; 、, 是/否 to booleans, yyyy/M/d and Excel serial dates to yyyy-MM-dd, numeric
/// text to numbers. What cannot be converted is passed on as text, so the form engine names the field and the rule.
/// </summary>
public static class ImportCellConverter
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd"];

    private static readonly string[] DateTimeFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm", "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>The value for <paramref name="field"/>, or null when the cell is blank.</summary>
    public static JsonNode? ToJson(FieldDefinition field, object? cell)
    {
        if (ImportSheetReader.IsBlank(cell))
        {
            return null;
        }

        return field.Type switch
        {
            "select" => JsonValue.Create(OptionValue(field, Text(cell))),
            "multi-select" => new JsonArray(Text(cell).Split(['|', ',', '，', ';', '；', '、'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => (JsonNode?)JsonValue.Create(OptionValue(field, t))).ToArray()),
            "boolean" => Boolean(cell),
            "date" => Date(cell),
            "datetime" => DateTime(cell),
            "number" or "integer" or "money" => Number(cell),
            _ => JsonValue.Create(Text(cell)),
        };
    }

    private static string Text(object? cell) => cell switch
    {
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((decimal)d).ToString(CultureInfo.InvariantCulture),
        System.DateTime dt => dt.TimeOfDay == TimeSpan.Zero ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty,
    };

    private static string OptionValue(FieldDefinition field, string text)
    {
        var options = field.Options ?? [];
        var option = options.FirstOrDefault(o => o.Value == text)
            ?? options.FirstOrDefault(o => o.Label == text)
            ?? options.FirstOrDefault(o => string.Equals(o.Value, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(o.LabelEn, text, StringComparison.OrdinalIgnoreCase));
        return option?.Value ?? text;
    }

    private static JsonNode? Boolean(object? cell)
    {
        if (cell is bool b)
        {
            return JsonValue.Create(b);
        }

        var text = Text(cell);
        return text.ToLowerInvariant() switch
        {
            "是" or "true" or "1" or "yes" or "y" or "√" or "对" => JsonValue.Create(true),
            "否" or "false" or "0" or "no" or "n" or "×" or "错" => JsonValue.Create(false),
            _ => JsonValue.Create(text),
        };
    }

    private static JsonNode? Date(object? cell)
    {
        if (AsDateTime(cell) is { } at)
        {
            return JsonValue.Create(at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        var text = Text(cell);
        if (System.DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || (System.DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.TimeOfDay == TimeSpan.Zero))
        {
            return JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(Serial(text) is { } serial ? serial.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : text);
    }

    private static JsonNode? DateTime(object? cell)
    {
        var text = Text(cell);
        var at = AsDateTime(cell)
            ?? (System.DateTime.TryParseExact(text, DateTimeFormats.Concat(DateFormats).ToArray(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : Serial(text));

        // A spreadsheet time has no zone: it is the user's wall clock, which for this platform is China time.
        return JsonValue.Create(at is { } local ? new DateTimeOffset(local, Platform.Core.Forms.ChinaTime.Offset).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) : text);
    }

    private static System.DateTime? AsDateTime(object? cell) => cell switch
    {
        System.DateTime dt => System.DateTime.SpecifyKind(dt, DateTimeKind.Unspecified),
        double d => FromSerial(d),
        decimal m => FromSerial((double)m),
        int i => FromSerial(i),
        long l => FromSerial(l),
        _ => null,
    };

    private static System.DateTime? Serial(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? FromSerial(d) : null;

    /// <summary>An Excel serial date (days since 1899-12-30), kept to a plausible range so a stray number is not taken for a date.</summary>
    private static System.DateTime? FromSerial(double serial) =>
        serial is >= 1 and < 2958466 ? System.DateTime.FromOADate(serial) : null;

    private static JsonNode? Number(object? cell) => cell switch
    {
        double d when Math.Abs(d) < 1e28 => JsonValue.Create((decimal)d),
        decimal m => JsonValue.Create(m),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        _ => decimal.TryParse(Text(cell).Replace("¥", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var n)
            ? JsonValue.Create(n)
            : JsonValue.Create(Text(cell)),
    };
}
