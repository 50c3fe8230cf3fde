using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Exports;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// The acceptance check of the permission issue: a user with only department scope (cs01, cs_east, "department" on
/// returns, service requests and logistics claims) cannot see a record of another department (cs02's cs_south) through
/// any API or report — lists with filters and sorts that try to widen, get, audit, CSV export, every report of the app,
/// the dashboard, and a drill into every point. "May see" is computed here in SQL, independently of the product.
/// </summary>
[Collection("platform")]
public sealed class DepartmentScopeAttackTests(PlatformFixture platform)
{
    private static readonly string[] Scoped = ["return_request", "service_request", "logistics_claim"];

    private static readonly Dictionary<string, string> CsvNames = new()
    {
        ["return_request"] = "退换货申请.csv", ["service_request"] = "服务工单.csv", ["logistics_claim"] = "物流理赔.csv",
    };

    [Fact]
    public async Task DepartmentScope_SeesNoRecordOfAnotherDepartment_ThroughAnyApiReportDashboardOrDrill()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var visible = new Dictionary<string, HashSet<Guid>>();
        var foreign = new HashSet<Guid>();
        foreach (var entity in Scoped)
        {
            visible[entity] = await Attack.VisibleToCustomerServiceAsync(platform, entity, "cs01", "cs_east");
            var theirs = await Attack.ForeignAsync(platform, entity, "cs01", "cs_east", "cs_south");
            Assert.True(theirs.Count > 0, $"the demo data must hold {entity} records of cs_south that cs01 may not read");
            foreign.UnionWith(theirs);
            await RecordsAsync(cs01, entity, visible[entity], theirs);
        }

        var reports = (await cs01.GetFromJsonAsync<JsonArray>($"{Attack.App}/reports"))!.Select(r => r!["key"]!.GetValue<string>()).ToList();
        Assert.True(reports.Count >= 9, string.Join(", ", reports));
        var drilled = 0;
        foreach (var report in reports)
        {
            drilled += await ReportAsync(cs01, report, visible, foreign);
        }

        Assert.True(drilled > 50, $"only {drilled} points drilled");

        // The dashboard runs the same reports under the same permissions: widget for widget the same rows.
        var dashboard = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Attack.App}/dashboards/after_sales_overview/data"), HttpStatusCode.OK);
        foreach (var widget in dashboard["widgets"]!.AsArray())
        {
            Assert.Null(widget!["error"]);
            var report = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Attack.App}/reports/{widget["report"]}/data"), HttpStatusCode.OK);
            Assert.True(JsonNode.DeepEquals(report["rows"], widget["data"]!["rows"]), $"widget {widget["key"]} differs from report {widget["report"]}");
        }
    }

    private async Task RecordsAsync(HttpClient cs01, string entity, HashSet<Guid> visible, List<Guid> theirs)
    {
        var list = $"{Attack.App}/entities/{entity}/records";

        // The plain list is exactly what cs01 may see.
        var (all, total) = await Attack.AllPagesAsync(cs01, list);
        Assert.Equal(visible.Order(), all.Order());
        Assert.Equal(visible.Count, total);

        // Filters and sorts that try to widen it find nothing of theirs.
        var named = string.Join('|', theirs.Take(40));
        foreach (var query in new[]
        {
            "filter=createdBy:eq:cs02", "filter=createdBy:ne:cs01", "filter=createdBy:in:cs01|cs02|public", $"filter=id:in:{named}", $"filter=id:eq:{theirs[0]}",
            "filter=createdBy:contains:%", "sort=createdBy", "sort=-createdAt", "sort=-id", $"filter=id:ne:{theirs[0]}&sort=-updatedAt",
        })
        {
            var (ids, count) = await Attack.AllPagesAsync(cs01, $"{list}?{query}");
            Assert.All(ids, id => Assert.Contains(id, visible));
            Assert.Equal(ids.Count, count);
        }

        foreach (var id in theirs.Take(5))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await cs01.GetAsync($"{list}/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await cs01.GetAsync($"{list}/{id}/audit")).StatusCode);
        }

        foreach (var query in new[] { string.Empty, "&filter=createdBy:eq:cs02", $"&filter=id:in:{named}" })
        {
            var bytes = await ExportFiles.DownloadAsync(cs01, $"{list}/export?format=csv{query}", "text/csv; charset=utf-8", CsvNames[entity]);
            var (_, rows) = ExportFiles.Csv(bytes);
            var exported = rows.Select(r => Guid.Parse(r[0])).ToList();
            Assert.All(exported, id => Assert.Contains(id, visible));
            if (query.Length == 0)
            {
                Assert.Equal(visible.Count, exported.Count);
            }

            var text = Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(theirs, id => text.Contains(id.ToString(), StringComparison.Ordinal));
        }
    }

    /// <summary>The report's data, export, whole drill-down and the drill-down of every point; returns the points drilled.</summary>
    private async Task<int> ReportAsync(HttpClient cs01, string report, Dictionary<string, HashSet<Guid>> visible, HashSet<Guid> foreign)
    {
        var url = $"{Attack.App}/reports/{report}";
        var data = await ApiAssert.JsonAsync(await cs01.GetAsync($"{url}/data"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await cs01.GetAsync($"{url}/export?format=csv")).StatusCode);

        void Check(string entity, IEnumerable<Guid> ids, string what)
        {
            foreach (var id in ids)
            {
                Assert.False(foreign.Contains(id), $"{what} lists {entity} {id} of another department");
                if (visible.TryGetValue(entity, out var mine))
                {
                    Assert.True(mine.Contains(id), $"{what} lists {entity} {id} that cs01 may not read");
                }
            }
        }

        var whole = await ApiAssert.JsonAsync(await cs01.GetAsync($"{url}/drill?pageSize=1"), HttpStatusCode.OK);
        var root = whole["entity"]!.GetValue<string>();
        Check(root, (await Attack.AllPagesAsync(cs01, $"{url}/drill")).Ids, $"{report} drill");
        Check(root, (await Attack.AllPagesAsync(cs01, $"{Attack.App}/entities/{root}/records?drill={report}")).Ids, $"{report} records?drill");

        var points = data["series"]!.AsArray()
            .SelectMany(s => s!["data"]!.AsArray())
            .Select(p => p!["point"]!.AsObject())
            .DistinctBy(p => p.ToJsonString())
            .ToList();
        foreach (var point in points)
        {
            var query = string.Join('&', point.Select(p => $"point.{p.Key}={Uri.EscapeDataString(p.Value?.GetValue<string>() ?? string.Empty)}"));
            var drill = await ApiAssert.JsonAsync(await cs01.GetAsync($"{url}/drill?{query}&pageSize=200"), HttpStatusCode.OK);
            Check(drill["entity"]!.GetValue<string>(), drill["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())), $"{report} {query}");
        }

        return points.Count;
    }
}
