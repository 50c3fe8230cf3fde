using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;
using Platform.Runtime.Execution;
using Platform.Runtime.Integrations;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Exports;

/// <summary>
/// Scheduled report e-mails on the timer rows: a timer per schedule after import, fired by the timer worker (two at
/// once) into exactly one outbox e-mail with the table and the attachment, the next occurrence set, and the timer kept,
/// replaced or removed as the schedule stays, changes or goes.
/// </summary>
[Collection("platform")]
public sealed class ReportSchedulesTests(PlatformFixture platform)
{
    private static JsonObject Package(string key, JsonArray? schedules = null) => JsonNode.Parse($$"""
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "{{key}}", "name": "报表邮件测试" },
          "entities": [ { "key": "ticket", "label": "工单", "fields": [
            { "key": "title", "type": "text", "label": "标题", "required": true },
            { "key": "category", "type": "select", "label": "分类", "required": true, "options": [
              { "value": "parts", "label": "配件<损坏>&其他" }, { "value": "repair", "label": "维修" } ] },
            { "key": "amount", "type": "money", "label": "金额" } ] } ],
          "reports": [ {
            "key": "by_category", "name": "工单分类统计", "entity": "ticket",
            "dimensions": [ { "key": "category", "field": "category", "label": "分类" } ],
            "measures": [ { "key": "count", "kind": "count", "label": "工单数" }, { "key": "amount", "kind": "sum", "field": "amount", "label": "金额" } ],
            "sort": [ { "by": "count", "descending": true } ],
            "schedules": {{(schedules ?? Daily()).ToJsonString()}}
          } ],
          "seed": { "ticket": [
            { "title": "滤芯破损", "category": "parts", "amount": 10 },
            { "title": "门封条", "category": "parts", "amount": 5.5 },
            { "title": "不制冷", "category": "repair", "amount": 100 } ] }
        }
        """)!.AsObject();

    private static JsonArray Daily(string cron = "0 8 * * *") => JsonNode.Parse($$"""
        [ { "key": "daily", "cron": "{{cron}}", "to": ["boss@example.com"], "roles": ["supervisor"], "format": "xlsx", "subject": "每日工单分类" } ]
        """)!.AsArray();

    private async Task<List<(Guid Id, DateTimeOffset Due, JsonObject Payload)>> TimersAsync(string app)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, due_at, payload::text from timers where kind = 'report-schedule' and payload->>'app' = $1 order by due_at", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        var list = new List<(Guid, DateTimeOffset, JsonObject)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), JsonNode.Parse(reader.GetString(2))!.AsObject()));
        }

        return list;
    }

    private async Task<List<JsonObject>> OutboxAsync(string idempotencyKey)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select payload::text from outbox where kind = 'email' and idempotency_key = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey });
        var list = new List<JsonObject>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        }

        return list;
    }

    private async Task FireAsync(DateTimeOffset asOf)
    {
        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        async Task DrainAsync()
        {
            while (await worker.FireDueAsync(CancellationToken.None, asOf) > 0)
            {
            }
        }

        // Two workers at once: SKIP LOCKED gives each timer to one of them.
        await Task.WhenAll(DrainAsync(), DrainAsync());
    }

    [Fact]
    public async Task Schedule_EnqueuesExactlyOneEmailWithTableAndAttachment_AndSetsTheNextOccurrence_WhenItsTimerFires()
    {
        using var admin = await platform.ClientForAsync("admin");
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", Package("report_mail")), HttpStatusCode.Created);
        var timer = Assert.Single(await TimersAsync("report_mail"));
        var china = timer.Due.ToOffset(TimeSpan.FromHours(8));
        Assert.Equal((8, 0, 0), (china.Hour, china.Minute, china.Second));
        Assert.InRange(timer.Due, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal("by_category", timer.Payload["report"]!.GetValue<string>());
        Assert.Equal("daily", timer.Payload["schedule"]!.GetValue<string>());

        await FireAsync(timer.Due.AddMinutes(1));

        var key = $"report-schedule:report_mail:by_category:daily:{timer.Due.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var mail = Assert.Single(await OutboxAsync(key));
        Assert.Equal(["boss@example.com", "sup01@demo.example.cn"], mail["to"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("每日工单分类", mail["subject"]!.GetValue<string>());
        var html = mail["html"]!.GetValue<string>();
        Assert.Contains("<td style=\"border:1px solid #d9d9d9;padding:4px 8px;\">配件&lt;损坏&gt;&amp;其他</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("配件<损坏>", html, StringComparison.Ordinal);
        var attachment = Assert.Single(mail["attachments"]!.AsArray())!;
        Assert.EndsWith(".xlsx", attachment["fileName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("工单分类统计-", attachment["fileName"]!.GetValue<string>(), StringComparison.Ordinal);
        var (header, rows) = ExportFiles.Xlsx(Convert.FromBase64String(attachment["content"]!.GetValue<string>()));
        Assert.Equal(["分类", "工单数", "金额"], header);
        Assert.Equal(
            [("配件<损坏>&其他", 2m, 15.5m), ("维修", 1m, 100m)],
            rows.Select(r => ((string)r[0]!, Convert.ToDecimal(r[1], CultureInfo.InvariantCulture), Math.Round(Convert.ToDecimal(r[2], CultureInfo.InvariantCulture), 2))));

        var next = Assert.Single(await TimersAsync("report_mail"));
        Assert.NotEqual(timer.Id, next.Id);
        Assert.Equal(timer.Due.AddDays(1), next.Due);
        Assert.Equal(1, await platform.CountAsync("select count(*) from timer_firings where timer_id = $1", timer.Id));

        // The same clock again: nothing more is due, nothing more is sent.
        await FireAsync(timer.Due.AddMinutes(1));
        Assert.Single(await OutboxAsync(key));
        Assert.Equal(next.Id, Assert.Single(await TimersAsync("report_mail")).Id);

        // What the e-mail channel makes of it: both recipients, the HTML alternative, the workbook attached.
        var message = EmailMessageBuilder.Build(new OutboxMessage(Guid.NewGuid(), "email", key, mail, 1, null), "platform@example.com");
        Assert.Equal(["boss@example.com", "sup01@demo.example.cn"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("配件&lt;损坏&gt;", message.HtmlBody, StringComparison.Ordinal);
        var part = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal(attachment["fileName"]!.GetValue<string>(), part.FileName);
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        Assert.Equal(Convert.FromBase64String(attachment["content"]!.GetValue<string>()), content.ToArray());
    }

    [Fact]
    public async Task Import_KeepsAnUnchangedScheduleTimer_ReplacesAChangedOne_AndRemovesIt_WhenTheScheduleDisappears()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = Package("report_mail_sync");
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        var first = Assert.Single(await TimersAsync("report_mail_sync"));

        package["entities"]![0]!["label"] = "服务工单";
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.OK);
        Assert.Equal(first.Id, Assert.Single(await TimersAsync("report_mail_sync")).Id);

        package["reports"]![0]!["schedules"] = Daily("30 9 * * 1");
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.OK);
        var changed = Assert.Single(await TimersAsync("report_mail_sync"));
        Assert.NotEqual(first.Id, changed.Id);
        var china = changed.Due.ToOffset(TimeSpan.FromHours(8));
        Assert.Equal((DayOfWeek.Monday, 9, 30), (china.DayOfWeek, china.Hour, china.Minute));
        Assert.Equal("30 9 * * 1", changed.Payload["cron"]!.GetValue<string>());

        package["reports"]![0]!["schedules"] = new JsonArray();
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.OK);
        Assert.Empty(await TimersAsync("report_mail_sync"));
    }

    [Fact]
    public async Task PublishReport_SetsTheScheduleTimer_AndRemovesIt_WhenTheReportIsPublishedWithoutSchedules()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = Package("report_mail_publish", []);
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        Assert.Empty(await TimersAsync("report_mail_publish"));
        var report = package["reports"]![0]!.DeepClone().AsObject();

        report["schedules"] = Daily("0 18 * * 5");
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/report_mail_publish/reports/by_category", report), HttpStatusCode.OK);
        var timer = Assert.Single(await TimersAsync("report_mail_publish"));
        var china = timer.Due.ToOffset(TimeSpan.FromHours(8));
        Assert.Equal((DayOfWeek.Friday, 18, 0), (china.DayOfWeek, china.Hour, china.Minute));

        report["schedules"] = new JsonArray();
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/report_mail_publish/reports/by_category", report), HttpStatusCode.OK);
        Assert.Empty(await TimersAsync("report_mail_publish"));
    }
}
