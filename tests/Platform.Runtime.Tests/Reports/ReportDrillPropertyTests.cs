using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// For every point of every series of every template (and lab) report, drilling down with the series' measure lists the
/// records that make the point: the report computed over exactly those records has the same value at that point and
/// nothing at any other; a count of records equals the number of records drilled; a count of step visits has at most that
/// many distinct records; the records list with <c>drill=</c> agrees.
/// </summary>
[Collection("platform")]
public sealed class ReportDrillPropertyTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Lab = "drill_lab";

    public static TheoryData<string, string> Reports()
    {
        var data = new TheoryData<string, string>();
        foreach (var report in new[] { "return_rate_trend", "return_reasons", "avg_handling_time", "stage_durations", "category_analysis", "engineer_performance", "first_time_fix_rate", "csat_trend", "region_response_time" })
        {
            data.Add("after_sales", report);
        }

        foreach (var report in new[] { "by_status", "region_month", "opened_daily", "urgent_channel", "by_score", "owner_region", "scored", "names" })
        {
            data.Add(Lab, report);
        }

        return data;
    }

    public async Task InitializeAsync() => await ReportLab.EnsureAsync(platform, Lab);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Drill_ListsTheRecordsOfEachPoint_ForEverySeriesPoint(string appKey, string reportKey)
    {
        using var client = await platform.ClientForAsync("admin");
        var services = platform.Factory.Services;
        var app = (await services.GetRequiredService<AppCatalog>().GetAsync(appKey, CancellationToken.None))!;
        var report = app.FindReport(reportKey)!;
        var reports = services.GetRequiredService<ReportService>();
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{appKey}/reports/{reportKey}/data"), HttpStatusCode.OK);
        var problems = new List<string>();
        var checkedPoints = 0;
        foreach (var series in data["series"]!.AsArray())
        {
            var measure = report.Measures.Single(m => m.Key == series!["measure"]!.GetValue<string>());
            var counted = measure.Kind == "ratio" ? report.Measures.Single(m => m.Key == measure.Numerator) : measure;
            var points = series!["data"]!.AsArray();
            foreach (var item in points)
            {
                var point = item!["point"]!.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<string>());
                var query = string.Concat(point.Select(p => $"&point.{p.Key}={Uri.EscapeDataString(p.Value ?? string.Empty)}"));
                var what = $"{reportKey} {measure.Key} at {string.Join(", ", point.Select(p => $"{p.Key}={p.Value ?? "∅"}"))}";
                var (ids, total, recordsUrl) = await DrillAllAsync(client, $"/api/apps/{appKey}/reports/{reportKey}/drill?measure={measure.Key}{query}");
                checkedPoints++;
                if (ids.Count != total || ids.Distinct().Count() != ids.Count)
                {
                    problems.Add($"{what}: pages listed {ids.Count} ids ({ids.Distinct().Count()} distinct) of total {total}");
                }

                // The records list with drill= answers the same records.
                var viaList = await ApiAssert.JsonAsync(await client.GetAsync(recordsUrl + "&pageSize=1"), HttpStatusCode.OK);
                if (viaList["total"]!.GetValue<long>() != total)
                {
                    problems.Add($"{what}: records list with drill= has {viaList["total"]} records, drill {total}");
                }

                // A ratio drills into its numerator's records.
                var pointValue = Number(counted.Key == measure.Key ? item["value"] : RowOf(data, point)?[counted.Key]);
                var countOfRecords = counted.Kind == "count" && report.Flow is null;
                if (countOfRecords && (pointValue ?? 0) != total)
                {
                    problems.Add($"{what}: count {pointValue} but {total} records drilled");
                }

                if (counted.Kind == "count" && report.Flow is not null && (total > (pointValue ?? 0) || (pointValue > 0 && total == 0)))
                {
                    problems.Add($"{what}: {pointValue} visits but {total} distinct records drilled");
                }

                if (ids.Count == 0)
                {
                    if (pointValue is not (null or 0))
                    {
                        problems.Add($"{what}: value {pointValue} but no records drilled");
                    }

                    continue;
                }

                // The report over exactly the drilled records: the same value at this point, and (when records are the rows,
                // not step visits of which a record has several) nothing elsewhere.
                var filter = (report.Flow is null ? "id" : "record.id") + ":in:" + string.Join('|', ids);
                var restricted = await reports.RunAsync(app, report, new ReportRequest(new Dictionary<string, string>(), [filter], DateTimeOffset.UtcNow), CancellationToken.None);
                foreach (var row in restricted.Rows)
                {
                    var same = point.All(p => (string?)row[p.Key] == p.Value);
                    var value = Number(row[counted.Key]);
                    if (same && value != pointValue)
                    {
                        problems.Add($"{what}: {counted.Key} is {pointValue} but {value} over the drilled records");
                    }
                    else if (!same && value is not (null or 0) && report.Flow is null)
                    {
                        problems.Add($"{what}: the drilled records also make {counted.Key} = {value} at {JsonSerializer.Serialize(row)}");
                    }
                }

                if (!restricted.Rows.Any(row => point.All(p => (string?)row[p.Key] == p.Value)))
                {
                    problems.Add($"{what}: the drilled records do not make this point");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems in {checkedPoints} points:\n" + string.Join("\n", problems.Take(40)));
    }

    /// <summary>All pages of a drill-down: the ids, the total, and the records-list address it gives.</summary>
    private static async Task<(List<string> Ids, long Total, string RecordsUrl)> DrillAllAsync(HttpClient client, string url)
    {
        var ids = new List<string>();
        long total;
        string recordsUrl;
        var page = 1;
        while (true)
        {
            var body = await ApiAssert.JsonAsync(await client.GetAsync($"{url}&pageSize=200&page={page}"), HttpStatusCode.OK);
            total = body["total"]!.GetValue<long>();
            recordsUrl = body["recordsUrl"]!.GetValue<string>();
            var items = body["items"]!.AsArray();
            ids.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            if (items.Count < 200 || ids.Count >= total)
            {
                return (ids, total, recordsUrl);
            }

            page++;
        }
    }

    private static JsonNode? RowOf(JsonObject data, Dictionary<string, string?> point) =>
        data["rows"]!.AsArray().FirstOrDefault(r => point.All(p => r![p.Key]?.GetValue<string>() == p.Value));

    private static decimal? Number(object? value) => value switch
    {
        null => null,
        JsonValue json when json.GetValueKind() == JsonValueKind.Number => json.GetValue<decimal>(),
        JsonValue json when json.GetValueKind() == JsonValueKind.Null => null,
        JsonNode => null,
        string s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };
}
