using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>The template's reports and dashboard through HTTP against real PostgreSQL with the demo data.</summary>
[Collection("platform")]
public sealed class ReportsApiTests(PlatformFixture platform)
{
    private const string Reports = "/api/apps/after_sales/reports";

    public static TheoryData<string> TemplateReports() =>
        new(["return_rate_trend", "return_reasons", "avg_handling_time", "stage_durations", "category_analysis", "engineer_performance", "first_time_fix_rate", "csat_trend", "region_response_time"]);

    [Theory]
    [MemberData(nameof(TemplateReports))]
    public async Task Data_AnswersRows_ForEveryTemplateReport(string report)
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/{report}/data"), HttpStatusCode.OK);
        Assert.NotEmpty(data["rows"]!.AsArray());
        Assert.NotEmpty(data["columns"]!.AsArray());
        Assert.NotEmpty(data["series"]!.AsArray());
    }

    [Fact]
    public async Task Drill_ListsExactlyTheRecordsCounted_ForEveryReturnReason()
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/data"), HttpStatusCode.OK);
        foreach (var row in data["rows"]!.AsArray())
        {
            var reason = row!["reason"]!.GetValue<string>();
            var count = row["count"]!.GetValue<long>();
            var drill = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/drill?point.reason={reason}&pageSize=200"), HttpStatusCode.OK);
            Assert.Equal(count, drill["total"]!.GetValue<long>());
            Assert.All(drill["items"]!.AsArray(), r => Assert.Equal(reason, r!["data"]!["reason"]!.GetValue<string>()));
            var direct = await platform.CountAsync("select count(*) from records where app_key = 'after_sales' and entity_key = 'return_request' and data->>'reason' = $1", reason);
            Assert.Equal(direct, count);
            var viaRecords = await ApiAssert.JsonAsync(await client.GetAsync(drill["recordsUrl"]!.GetValue<string>()), HttpStatusCode.OK);
            Assert.Equal(count, viaRecords["total"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task Data_Is422NamingTheFilter_WhenTheFilterFieldIsUnknown()
    {
        using var client = await platform.ClientForAsync("admin");
        var problem = await ApiAssert.JsonAsync(await client.GetAsync($"{Reports}/return_reasons/data?filter=nope:eq:1"), HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["filter"]);
    }

    [Fact]
    public async Task Dashboard_AnswersEveryWidget_InOneCall()
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales/dashboards/after_sales_overview/data"), HttpStatusCode.OK);
        var widgets = data["widgets"]!.AsArray();
        Assert.Equal(9, widgets.Count);
        Assert.All(widgets, w => Assert.Null(w!["error"]));
        Assert.All(widgets, w => Assert.NotEmpty(w!["data"]!["rows"]!.AsArray()));
    }
}
