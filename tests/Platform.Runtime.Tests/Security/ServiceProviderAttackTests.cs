using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Exports;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// The external service provider sp01 (role service_provider: "own" on service requests, order_no and purchased_at
/// hidden) sees only the requests naming it, and never the order facts: not in lists, records, audits, exports or
/// drill-downs, and not by filtering, sorting or counting on them.
/// </summary>
[Collection("platform")]
public sealed class ServiceProviderAttackTests(PlatformFixture platform)
{
    private const string Requests = Attack.App + "/entities/service_request/records";

    /// <summary>A service request with order facts, dispatched (by the database, as the dispatch rule would) to sp01 and accepted.</summary>
    private async Task<(Guid Id, string OrderNo)> NamedRequestAsync()
    {
        var orderNo = await Attack.SingleItemOrderAsync(platform);
        using var cs01 = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Requests, Attack.Body(new JsonObject
        {
            ["type"] = "repair", ["customer_name"] = "服务商测试", ["phone"] = "13800004141", ["order_no"] = orderNo, ["description"] = "不制冷",
            ["region"] = "east", ["address"] = "上海市测试路 1 号",
        })), HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.NotNull(created["data"]!["purchased_at"]);
        await Attack.ExecuteAsync(platform, """update records set data = data || jsonb_build_object('engineer_user', 'sp01', 'accepted_at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) where id = $1""", id);
        return (id, orderNo);
    }

    private static void AssertNoOrderFacts(JsonNode? record, string orderNo)
    {
        var data = record!["data"]!.AsObject();
        Assert.False(data.ContainsKey("order_no"));
        Assert.False(data.ContainsKey("purchased_at"));
        Assert.DoesNotContain(orderNo, record.ToJsonString());
    }

    [Fact]
    public async Task ServiceProvider_SeesOnlyRequestsNamingIt_AndNeverTheOrderFacts()
    {
        var (id, orderNo) = await NamedRequestAsync();
        using var sp01 = await platform.ClientForAsync("sp01");
        var named = (await Attack.ColumnAsync<Guid>(platform, "select id from records where app_key = 'after_sales' and entity_key = 'service_request' and data->>'engineer_user' = 'sp01'")).ToHashSet();

        var (ids, total) = await Attack.AllPagesAsync(sp01, Requests);
        Assert.Equal(named.Order(), ids.Order());
        Assert.Equal(named.Count, total);
        var list = await ApiAssert.JsonAsync(await sp01.GetAsync($"{Requests}?filter=id:eq:{id}"), HttpStatusCode.OK);
        AssertNoOrderFacts(list["items"]![0], orderNo);
        AssertNoOrderFacts(await ApiAssert.JsonAsync(await sp01.GetAsync($"{Requests}/{id}"), HttpStatusCode.OK), orderNo);
        var audit = await sp01.GetStringAsync($"{Requests}/{id}/audit");
        Assert.DoesNotContain(orderNo, audit);
        Assert.DoesNotContain("purchased_at", audit);

        var csv = await ExportFiles.DownloadAsync(sp01, $"{Requests}/export?format=csv", "text/csv; charset=utf-8", "服务工单.csv");
        var (header, rows) = ExportFiles.Csv(csv);
        Assert.DoesNotContain("订单号", header);
        Assert.DoesNotContain("购买日期", header);
        Assert.Equal(named.Count, rows.Count);
        Assert.DoesNotContain(orderNo, System.Text.Encoding.UTF8.GetString(csv));

        // The drill-down of the accepted request's region: the record, without the order facts.
        foreach (var url in new[] { $"{Attack.App}/reports/region_response_time/drill?point.region=east", $"{Requests}?drill=region_response_time&point.region=east" })
        {
            var drill = await ApiAssert.JsonAsync(await sp01.GetAsync(url), HttpStatusCode.OK);
            var items = drill["items"]!.AsArray();
            Assert.Contains(items, i => i!["id"]!.GetValue<string>() == id.ToString());
            Assert.All(items, i => Assert.Contains(Guid.Parse(i!["id"]!.GetValue<string>()), named));
            Assert.All(items, i => AssertNoOrderFacts(i, orderNo));
        }

        // Another engineer's request is not there.
        var other = await Attack.ScalarAsync<Guid>(platform, "select id from records where entity_key = 'service_request' and data->>'engineer_user' = 'eng01' limit 1");
        Assert.Equal(HttpStatusCode.NotFound, (await sp01.GetAsync($"{Requests}/{other}")).StatusCode);
    }

    [Fact]
    public async Task ServiceProvider_CannotProbeHiddenOrderFacts_ByFilterSortOrReportCounts()
    {
        // Found by this suite: report and drill filters took hidden fields, so a count per guessed order number revealed it.
        var (_, orderNo) = await NamedRequestAsync();
        using var sp01 = await platform.ClientForAsync("sp01");
        foreach (var (url, field) in new[]
        {
            ($"{Requests}?filter=order_no:eq:{orderNo}", "filter"),
            ($"{Requests}?filter=purchased_at:ge:2000-01-01", "filter"),
            ($"{Requests}?sort=purchased_at", "sort"),
            ($"{Requests}/export?format=csv&filter=order_no:eq:{orderNo}", "filter"),
            ($"{Attack.App}/reports/region_response_time/data?filter=order_no:eq:{orderNo}", "filter"),
            ($"{Attack.App}/reports/region_response_time/data?filter=purchased_at:ge:2000-01-01", "filter"),
            ($"{Attack.App}/reports/region_response_time/export?format=csv&filter=order_no:eq:{orderNo}", "filter"),
            ($"{Attack.App}/reports/region_response_time/drill?point.region=east&filter=order_no:eq:{orderNo}", "filter"),
            ($"{Requests}?drill=region_response_time&point.region=east&filter=order_no:eq:{orderNo}", "filter"),
            // Through a reference into an entity sp01 may not read at all.
            ($"{Attack.App}/reports/region_response_time/data?filter=customer.phone:eq:13800004141", "filter"),
        })
        {
            var response = await sp01.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(response));
        }

        // The same filter is fine for a role that sees the field.
        using var cs01 = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.OK, (await cs01.GetAsync($"{Attack.App}/reports/region_response_time/data?filter=order_no:eq:{orderNo}")).StatusCode);
    }
}
