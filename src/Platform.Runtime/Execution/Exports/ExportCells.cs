using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Platform.Core.Forms;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// Turns stored field values into what a person reads in a spreadsheet: labels for options, 是/否, names for
/// references and users, China time for moments, a file count for uploads, compact text for sub-tables; numbers stay
/// numbers. <see cref="Collect"/> first notes the names a value needs so a chunk resolves them in one round trip.
/// </summary>
public static class ExportCells
{
    /// <summary>Longest text a sub-table cell gets (the rest is cut with …).</summary>
    public const int MaxSubTableText = 1000;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Moment(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Notes the record and user names <paramref name="value"/> will need.</summary>
    public static void Collect(ExportFieldPlan plan, JsonNode? value, ExportLookups lookups)
    {
        switch (plan.Kind)
        {
            case ExportFieldKind.Reference:
                lookups.WantRecord(Text(value), plan.DisplayField);
                break;
            case ExportFieldKind.User:
                lookups.WantUser(Text(value));
                break;
            case ExportFieldKind.SubTable when value is JsonArray rows:
                foreach (var row in rows.OfType<JsonObject>())
                {
                    foreach (var field in plan.Fields)
                    {
                        Collect(field, row[field.Key], lookups);
                    }
                }

                break;
        }
    }

    /// <summary>The cell for <paramref name="value"/>: a string, a decimal, or null.</summary>
    public static object? Format(ExportFieldPlan plan, JsonNode? value, ExportLookups lookups)
    {
        if (value is null)
        {
            return null;
        }

        switch (plan.Kind)
        {
            case ExportFieldKind.Number:
            case ExportFieldKind.Formula:
                return Number(value) is { } number ? number : Text(value);
            case ExportFieldKind.Boolean:
                return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? (b.GetValue<bool>() ? "是" : "否")
                    : Text(value);
            case ExportFieldKind.Select:
                return Option(plan, Text(value));
            case ExportFieldKind.MultiSelect:
                return value is JsonArray many ? string.Join("、", many.Select(v => Option(plan, Text(v)))) : Option(plan, Text(value));
            case ExportFieldKind.DateTime:
                var text = Text(value);
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? Moment(at) : text;
            case ExportFieldKind.Reference:
                return Text(value) is { } id ? lookups.Record(id, plan.DisplayField) : null;
            case ExportFieldKind.User:
                return Text(value) is { } user ? lookups.User(user) : null;
            case ExportFieldKind.Files:
                var files = value is JsonArray list ? list.Count : 1;
                return files == 0 ? null : $"{files} 个文件";
            case ExportFieldKind.SubTable:
                return value is JsonArray rows ? SubTable(plan, rows, lookups) : Text(value);
            default:
                return Text(value);
        }
    }

    private static string? Option(ExportFieldPlan plan, string? value) =>
        value is null ? null : plan.Options.TryGetValue(value, out var label) ? label : value;

    private static string? SubTable(ExportFieldPlan plan, JsonArray rows, ExportLookups lookups)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            if (sb.Length > 0)
            {
                sb.Append('；');
            }

            if (row is not JsonObject cells)
            {
                sb.Append(Text(row));
                continue;
            }

            var first = true;
            foreach (var field in plan.Fields)
            {
                var cell = Format(field, cells[field.Key], lookups);
                if (cell is null)
                {
                    continue;
                }

                sb.Append(first ? string.Empty : "，").Append(field.Label).Append('：').Append(cell is decimal d ? d.ToString(CultureInfo.InvariantCulture) : cell);
                first = false;
            }

            if (sb.Length > MaxSubTableText)
            {
                break;
            }
        }

        return sb.Length > MaxSubTableText ? sb.ToString(0, MaxSubTableText) + "…" : sb.ToString();
    }

    private static decimal? Number(JsonNode value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.Number when v.TryGetValue<decimal>(out var d) => d,
            JsonValueKind.Number => decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            _ => null,
        };
    }

    /// <summary>A value as text: strings as they are, other scalars as JSON, arrays and objects compact.</summary>
    private static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "是" : "否",
        JsonValue v => v.ToJsonString(Readable),
        JsonArray a => string.Join("、", a.Select(Text)),
        _ => value.ToJsonString(Readable),
    };
}
