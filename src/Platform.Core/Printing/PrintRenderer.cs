using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>
/// Renders a compiled print template: pure (template + records + formatter → HTML), no I/O. Every value is
/// HTML-encoded; the markup around the values is the template's sanitized HTML.
/// </summary>
public static class PrintRenderer
{
    /// <summary>The font stack of printed pages: the CJK fonts of Windows, macOS and Linux first.</summary>
    public const string FontFamily =
        "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", \"WenQuanYi Zen Hei\", \"SimSun\", sans-serif";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A complete print-ready page: one A4 sheet per record with a page break between them, and a print button hidden in print.</summary>
    public static string RenderPage(CompiledPrintTemplate template, IReadOnlyList<PrintRecord> records, IPrintFormatter formatter, PrintPageOptions options)
    {
        var definition = template.Definition;
        var landscape = definition.Paper == PrintPapers.A4Landscape;
        var title = records.Count == 1
            ? $"{definition.Label} {Title(template, records[0], formatter)}".TrimEnd()
            : $"{definition.Label}（{records.Count} 份）";
        var sb = new StringBuilder(4096 + (records.Count * 4096));
        sb.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n")
            .Append("@page { size: ").Append(PrintPapers.CssSize(definition.Paper)).Append("; margin: 12mm; }\n")
            .Append("html { font-family: ").Append(FontFamily).Append("; font-size: 10.5pt; line-height: 1.5; color: #111; }\n")
            .Append("body { margin: 0; background: #e5e7eb; -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n")
            .Append(".print-toolbar { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #1e3a8a; color: #fff; font-size: 14px; }\n")
            .Append(".print-toolbar button { font: inherit; font-size: 15px; padding: 6px 20px; border: 0; border-radius: 4px; background: #fff; color: #1e3a8a; cursor: pointer; }\n")
            .Append(".print-sheet { box-sizing: border-box; width: ").Append(landscape ? "297mm" : "210mm").Append("; min-height: ").Append(landscape ? "210mm" : "297mm")
            .Append("; margin: 16px auto; padding: 12mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); overflow: hidden; }\n")
            .Append(".print-sheet table { border-collapse: collapse; width: 100%; }\n")
            .Append(".print-sheet img.print-qr { width: 28mm; height: 28mm; image-rendering: pixelated; }\n")
            .Append("@media print {\n  body { background: #fff; }\n  .print-toolbar { display: none; }\n")
            .Append("  .print-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; break-after: page; page-break-after: always; }\n")
            .Append("  .print-sheet:last-child { break-after: auto; page-break-after: auto; }\n}\n")
            .Append("</style>\n</head>\n<body>\n");
        if (options.ScriptUrl is { } script)
        {
            sb.Append("<div class=\"print-toolbar\" data-testid=\"print-toolbar\"><button type=\"button\" id=\"print-button\" data-testid=\"print-button\">打印 / Print</button><span>")
                .Append(Encode(title)).Append("</span></div>\n");
        }

        sb.Append("<main>\n");
        foreach (var record in records)
        {
            sb.Append("<section class=\"print-sheet\" data-record=\"").Append(record.Id).Append("\">\n");
            RenderBody(template, record, formatter, options, sb);
            sb.Append("\n</section>\n");
        }

        sb.Append("</main>\n");
        if (options.ScriptUrl is { } src)
        {
            sb.Append("<script src=\"").Append(Encode(src)).Append("\"></script>\n");
        }

        return sb.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>One record's sheet, without the page around it (previews, tests).</summary>
    public static string RenderBody(CompiledPrintTemplate template, PrintRecord record, IPrintFormatter formatter, PrintPageOptions options)
    {
        var sb = new StringBuilder();
        RenderBody(template, record, formatter, options, sb);
        return sb.ToString();
    }

    private static void RenderBody(CompiledPrintTemplate template, PrintRecord record, IPrintFormatter formatter, PrintPageOptions options, StringBuilder sb)
    {
        var context = new Context(template, formatter, options, sb);
        context.Frames.Add(new Frame(record.Data, record, null, 0, template.Entity));
        Render(template.Nodes, context);
    }

    private static void Render(IReadOnlyList<PrintNode> nodes, Context context)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case PrintLiteralNode literal:
                    context.Output.Append(literal.Html);
                    break;
                case PrintValueNode value:
                    context.Output.Append(Encode(Value(value.Binding, value.Raw, context)));
                    break;
                case PrintQrNode qr:
                    Qr(qr, context);
                    break;
                case PrintEachNode each:
                    Each(each, context);
                    break;
                case PrintRelatedNode related:
                    var records = context.Frames[0].Record!.Related.GetValueOrDefault(related.Source.Key) ?? [];
                    for (var i = 0; i < records.Count; i++)
                    {
                        context.Frames.Add(new Frame(records[i].Data, records[i], null, i + 1, related.Target));
                        Render(related.Body, context);
                        context.Frames.RemoveAt(context.Frames.Count - 1);
                    }

                    break;
            }
        }
    }

    private static void Each(PrintEachNode each, Context context)
    {
        var frame = context.Frames[^1];
        if (each.Source is null)
        {
            var history = frame.Record?.History ?? [];
            for (var i = 0; i < history.Count; i++)
            {
                context.Frames.Add(new Frame(null, null, history[i], i + 1, null));
                Render(each.Body, context);
                context.Frames.RemoveAt(context.Frames.Count - 1);
            }

            return;
        }

        if (frame.Data?[each.Source.Key] is not JsonArray rows)
        {
            return;
        }

        var index = 0;
        foreach (var row in rows.OfType<JsonObject>())
        {
            context.Frames.Add(new Frame(row, null, null, ++index, null));
            Render(each.Body, context);
            context.Frames.RemoveAt(context.Frames.Count - 1);
        }
    }

    private static void Qr(PrintQrNode qr, Context context)
    {
        var root = context.Frames[0].Record!;
        var (text, alt) = qr.Kind switch
        {
            "tracking" => (root.TrackingUrl, "进度查询二维码"),
            "record" => (root.RecordUrl, "记录二维码"),
            _ => (Value(qr.Field!, raw: true, context), qr.Field!.Field?.Label ?? qr.Field!.Name),
        };
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        context.Output.Append("<img class=\"print-qr\" src=\"").Append(PrintQrCode.DataUri(text)).Append("\" alt=\"").Append(Encode(alt)).Append("\">");
    }

    private static string? Value(PrintBinding binding, bool raw, Context context)
    {
        var frames = context.Frames;
        var frame = frames[frames.Count - 1 - binding.Depth];
        if (binding.Field is { } field)
        {
            var value = frame.Data?[field.Key];
            return raw ? Raw(value) : context.Formatter.Format(field, binding.Siblings!, value);
        }

        if (frame.History is { } h && !binding.Name.StartsWith('_'))
        {
            return binding.Name switch
            {
                "step" => h.Step,
                "action" => h.Action,
                "text" => h.Text,
                "by" => h.By,
                "at" => raw ? h.At.ToString("O", CultureInfo.InvariantCulture) : Moment(h.At),
                "comment" => h.Comment,
                _ => null,
            };
        }

        var root = frames[0].Record!;
        var nearest = frames.Last(f => f.Record is not null);
        var record = nearest.Record!;
        return binding.Name switch
        {
            "_id" => record.Id.ToString(),
            "_created_at" => raw ? record.CreatedAt.ToString("O", CultureInfo.InvariantCulture) : Moment(record.CreatedAt),
            "_created_by" => record.CreatedBy,
            "_updated_at" => raw ? record.UpdatedAt.ToString("O", CultureInfo.InvariantCulture) : Moment(record.UpdatedAt),
            "_updated_by" => record.UpdatedBy,
            "_entity" => nearest.Entity?.Label,
            "_now" => raw ? context.Options.Now.ToString("O", CultureInfo.InvariantCulture) : Moment(context.Options.Now),
            "_app" => context.Options.AppName,
            "_template" => context.Template.Definition.Label,
            "_status" => raw ? root.StatusRaw : root.Status,
            "_step" => root.Step,
            "_tracking_no" => root.TrackingNo,
            "_tracking_url" => root.TrackingUrl,
            "_record_url" => root.RecordUrl,
            "_index" => frames[^1].Index.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>The stored value as text: strings as they are, other values as compact JSON.</summary>
    private static string? Raw(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(Compact),
    };

    private static string Title(CompiledPrintTemplate template, PrintRecord record, IPrintFormatter formatter)
    {
        var key = template.Entity.TitleField ?? template.Entity.Fields.FirstOrDefault(f => f.Type == "auto-number")?.Key;
        var field = key is null ? null : template.Entity.FindField(key);
        return field is null ? string.Empty : formatter.Format(field, template.Entity.Fields, record.Data[field.Key]) ?? string.Empty;
    }

    private static string Moment(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>HTML-encodes a value; line breaks stay line breaks.</summary>
    private static string Encode(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : WebUtility.HtmlEncode(text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    private sealed record Frame(JsonObject? Data, PrintRecord? Record, PrintHistoryEntry? History, int Index, EntityDefinition? Entity);

    private sealed class Context(CompiledPrintTemplate template, IPrintFormatter formatter, PrintPageOptions options, StringBuilder output)
    {
        public CompiledPrintTemplate Template { get; } = template;

        public IPrintFormatter Formatter { get; } = formatter;

        public PrintPageOptions Options { get; } = options;

        public StringBuilder Output { get; } = output;

        public List<Frame> Frames { get; } = [];
    }
}
