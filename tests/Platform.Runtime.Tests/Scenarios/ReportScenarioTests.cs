using System.Net;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// Every template report against figures computed in the test from the records themselves (<see cref="ReportFigures"/>
/// over <see cref="RecordsSnapshot"/>), as admin and as cs01 whose figures count only the records customer service of
/// cs_east may read; then one point of each chart is drilled into and must list exactly the records it counts.
/// </summary>
[Collection("platform")]
public sealed class ReportScenarioTests(PlatformFixture platform)
{
    private const string Reports = "/api/apps/after_sales/reports";

    /// <summary>Averages and ratios may differ in the last rounded place (the database divides per row, the test once).</summary>
    private const decimal Tolerance = 0.01m;

    /// <summary>Measures the template rounds to one place (engineer_performance's hours), whose last place is 0.1.</summary>
    private static readonly HashSet<string> OnePlace = ["avg_hours"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var report in new[] { "return_rate_trend", "return_reasons", "avg_handling_time", "stage_durations", "category_analysis", "engineer_performance", "first_time_fix_rate", "csat_trend", "region_response_time" })
        {
            cases.Add(report, "admin");
            cases.Add(report, "cs01");
        }

        return cases;
    }

    private async Task<IReadOnlySet<string>> ReturnFlowTaskStepsAsync(HttpClient client)
    {
        var app = await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales"), HttpStatusCode.OK);
        return app["flows"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "return_flow")!["steps"]!.AsArray()
            .Where(s => s!["type"]!.GetValue<string>() is "approval" or "task").Select(s => s!["key"]!.GetValue<string>()).ToHashSet();
    }

    private static decimal? Number(JsonNode? node) => node is JsonValue v ? v.GetValue<decimal>() : null;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Data_EqualsTheFiguresOfTheReadableRecords_AndADrilledPointListsExactlyItsRecords(string report, string viewer)
    {
        using var admin = await platform.ClientForAsync("admin");
        using var client = await platform.ClientForAsync(viewer);
        var snapshot = await RecordsSnapshot.LoadAsync(platform, viewer, await ReturnFlowTaskStepsAsync(admin));
        var expected = ReportFigures.Compute(report, snapshot);
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/{report}/data"), HttpStatusCode.OK);
        var rows = data["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var dimensions = expected.SelectMany(p => p.Dimensions.Keys).Distinct().ToList();
        string KeyOf(JsonObject row) => string.Join(" | ", dimensions.Order(StringComparer.Ordinal).Select(d => $"{d}={row[d]?.GetValue<string>() ?? "∅"}"));

        Assert.NotEmpty(expected);
        var problems = new List<string>();
        var byKey = rows.ToDictionary(KeyOf);
        foreach (var point in expected)
        {
            if (!byKey.Remove(point.Key, out var row))
            {
                problems.Add($"missing row {point.Key}");
                continue;
            }

            foreach (var (measure, value) in point.Measures)
            {
                var actual = Number(row[measure]);
                var same = value is null || actual is null ? value == actual : Math.Abs(value.Value - actual.Value) <= (OnePlace.Contains(measure) ? 0.1m : Tolerance);
                if (!same)
                {
                    problems.Add($"{point.Key}: {measure} is {actual?.ToString() ?? "null"}, computed {value?.ToString() ?? "null"}");
                }
            }
        }

        problems.AddRange(byKey.Keys.Select(k => $"unexpected row {k}: {byKey[k].ToJsonString()}"));
        Assert.True(problems.Count == 0, $"{report} as {viewer}:\n{string.Join('\n', problems.Take(30))}");

        // Time series come in time order; the ranked reports by their count, largest first.
        if (dimensions.Contains("month"))
        {
            var months = rows.Select(r => r["month"]?.GetValue<string>() ?? "~").ToList();
            Assert.Equal(months.Order(StringComparer.Ordinal), months);
        }

        var sort = report switch { "return_reasons" or "category_analysis" => "count", "engineer_performance" => "closed", _ => null };
        if (sort is not null)
        {
            var counts = rows.Select(r => Number(r[sort]) ?? 0).ToList();
            Assert.Equal(counts.OrderDescending(), counts);
        }

        // The busiest point, drilled into, lists exactly the records computed for it.
        var measureKey = ReportFigures.DrillMeasure(report);
        var busiest = expected.OrderByDescending(p => p.Records.Count).ThenBy(p => p.Key, StringComparer.Ordinal).First();
        var query = string.Concat(busiest.Dimensions.Select(d => $"&point.{d.Key}={Uri.EscapeDataString(d.Value ?? string.Empty)}"));
        var drilled = new HashSet<Guid>();
        long total;
        var page = 1;
        do
        {
            var drill = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/{report}/drill?measure={measureKey}&pageSize=200&page={page++}{query}"), HttpStatusCode.OK);
            total = drill["total"]!.GetValue<long>();
            foreach (var item in drill["items"]!.AsArray())
            {
                drilled.Add(Guid.Parse(item!["id"]!.GetValue<string>()));
            }
        }
        while (drilled.Count < total && page < 20);

        Assert.Equal(busiest.Records.Count, total);
        Assert.True(busiest.Records.SetEquals(drilled), $"{report} as {viewer} at {busiest.Key}: drilled {drilled.Count}, computed {busiest.Records.Count}");
        if (report != "stage_durations")
        {
            // One record per counted row (a step visited twice by one request is two visits of one record).
            Assert.Equal(busiest.Measures[measureKey], (decimal)total);
        }
    }

    [Fact]
    public async Task Cs01_SeesFewerReturnsThanTheAdministrator_ButEveryOneInTheCustomerServiceQueue()
    {
        using var admin = await platform.ClientForAsync("admin");
        using var cs = await platform.ClientForAsync("cs01");
        long Total(JsonObject data) => data["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>());
        var all = Total(await ApiAssert.JsonAsync(await admin.GetAsync($"{Reports}/return_reasons/data"), HttpStatusCode.OK));
        var mine = Total(await ApiAssert.JsonAsync(await cs.GetAsync($"{Reports}/return_reasons/data"), HttpStatusCode.OK));
        var queued = await platform.CountAsync("""
            select count(distinct r.id) from records r join flow_instances i on i.record_id = r.id join flow_tasks t on t.instance_id = i.id
            where r.entity_key = 'return_request' and t.status = 'open' and t.assignee is null and t.role = 'customer_service'
            """);
        var south = await platform.CountAsync("""
            select count(*) from records r where r.entity_key = 'return_request' and r.owner_department = 'cs_south' and not exists
              (select 1 from flow_instances i join flow_tasks t on t.instance_id = i.id where i.record_id = r.id
               and (t.assignee = 'cs01' or t.closed_by = 'cs01' or (t.assignee is null and t.status = 'open' and t.role = 'customer_service')))
            """);
        Assert.True(south > 0 && mine <= all - south, $"cs01 counts {mine} of {all}; {south} of cs_south's are outside their scope");
        Assert.True(queued > 0 && mine >= queued, $"cs01 counts {mine}, the queue holds {queued}");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("cs01")]
    public async Task Dashboard_ShowsEveryWidgetAsItsReport_ForTheSameViewer(string viewer)
    {
        using var client = await platform.ClientForAsync(viewer);
        var dashboard = await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales/dashboards/after_sales_overview/data"), HttpStatusCode.OK);
        var widgets = dashboard["widgets"]!.AsArray().Select(w => w!.AsObject()).ToList();
        Assert.Equal(9, widgets.Count);
        foreach (var widget in widgets)
        {
            var report = widget["report"]!.GetValue<string>();
            Assert.True(widget["error"] is null, $"{report}: {widget["error"]}");
            var alone = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/{report}/data"), HttpStatusCode.OK);
            Assert.Equal(alone["rows"]!.ToJsonString(), widget["data"]!["rows"]!.ToJsonString());
        }
    }
}
