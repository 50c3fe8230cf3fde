using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Integrations;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// The e-mail of one scheduled report occurrence: an HTML table of the rows (every text escaped, at most
/// <see cref="MaxHtmlRows"/> rows), a plain-text alternative, and the whole report as an xlsx or csv attachment
/// (left out, with a note, when larger than <see cref="EmailMessageBuilder.MaxAttachmentBytes"/>).
/// </summary>
public static class ReportMail
{
    /// <summary>Rows shown in the message body; the attachment has them all.</summary>
    public const int MaxHtmlRows = 200;

    /// <summary>The outbox payload of kind <c>email</c> (see <see cref="EmailMessageBuilder"/>).</summary>
    public static JsonObject Payload(string app, ReportDefinition report, ReportSchedule schedule, ReportData data, IReadOnlyList<string> to, DateTimeOffset at)
    {
        var format = schedule.Format == "csv" ? ExportFormat.Csv : ExportFormat.Xlsx;
        var local = ChinaTime.ToChina(at);
        var bytes = ReportExport.ToBytes(data, format);
        var fileName = ExportFormats.FileName($"{report.Name}-{local:yyyyMMdd}", format);
        var attached = bytes.Length <= EmailMessageBuilder.MaxAttachmentBytes;
        var attachments = new JsonArray();
        if (attached)
        {
            attachments.Add(new JsonObject
            {
                ["fileName"] = fileName,
                ["contentType"] = ExportFormats.ContentType(format),
                ["content"] = Convert.ToBase64String(bytes),
            });
        }

        var note = attached
            ? $"完整数据见附件 {fileName}。"
            : $"附件超过 {EmailMessageBuilder.MaxAttachmentBytes / 1024 / 1024} MB，未随邮件发送，请在系统中导出。";
        return new JsonObject
        {
            ["to"] = new JsonArray(to.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["subject"] = string.IsNullOrWhiteSpace(schedule.Subject) ? $"定时报表：{report.Name}（{local:yyyy-MM-dd}）" : schedule.Subject,
            ["body"] = $"{report.Name}\n统计时间：{local:yyyy-MM-dd HH:mm}（北京时间），共 {data.Rows.Count} 行。\n{note}",
            ["html"] = Html(report, data, local, note),
            ["attachments"] = attachments,
            ["app"] = app,
            ["report"] = report.Key,
            ["schedule"] = schedule.Key,
        };
    }

    /// <summary>The message body: title, time, the rows as a table (escaped), the note about the attachment.</summary>
    public static string Html(ReportDefinition report, ReportData data, DateTimeOffset local, string note)
    {
        static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        const string Cell = "border:1px solid #d9d9d9;padding:4px 8px;";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#262626\">");
        html.Append("<h2 style=\"font-size:18px\">").Append(E(report.Name)).Append("</h2>");
        if (!string.IsNullOrWhiteSpace(report.Description))
        {
            html.Append("<p>").Append(E(report.Description)).Append("</p>");
        }

        html.Append("<p style=\"color:#8c8c8c\">统计时间：").Append(E(local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
            .Append("（北京时间），共 ").Append(data.Rows.Count).Append(" 行</p>");
        html.Append("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var column in data.Columns)
        {
            html.Append("<th style=\"").Append(Cell).Append("background:#fafafa;text-align:left\">").Append(E(column.Label)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in data.Rows.Take(MaxHtmlRows))
        {
            html.Append("<tr>");
            foreach (var column in data.Columns)
            {
                var value = ReportExport.Cell(row, column);
                var numeric = value is decimal or double or float or long or int;
                html.Append("<td style=\"").Append(Cell).Append(numeric ? "text-align:right" : string.Empty).Append("\">").Append(E(value)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        if (data.Rows.Count > MaxHtmlRows)
        {
            html.Append("<p>仅显示前 ").Append(MaxHtmlRows).Append(" 行。</p>");
        }

        html.Append("<p>").Append(E(note)).Append("</p></body></html>");
        return html.ToString();
    }
}
