using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// The golden walk: the runtime imported samples/after-sales-app.json (and its demo data); each scenario
/// of AFTER-SALES.md's validation section is played through HTTP as a user of the template would.
/// </summary>
[Collection("platform")]
public sealed class AfterSalesGoldenTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    private static JsonObject Body(JsonObject data) => new() { ["data"] = data.DeepClone() };

    private async Task<JsonObject> FirstAsync(HttpClient client, string entity, string query = "")
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"{Records}/{entity}/records?pageSize=1{query}");
        return page!["items"]![0]!.AsObject();
    }

    [Fact]
    public async Task DemoData_CoversEveryEntity_WithTheVolumesOfTheTemplate()
    {
        using var client = await platform.ClientForAsync("sup01");
        var expected = new Dictionary<string, int>
        {
            ["customer"] = 200, ["product"] = 50, ["sales_order"] = 2000, ["return_request"] = 300, ["service_request"] = 500,
            ["engineer"] = 20, ["spare_part"] = 40,
        };
        foreach (var (entity, atLeast) in expected)
        {
            var total = (await client.GetFromJsonAsync<JsonObject>($"{Records}/{entity}/records?pageSize=1"))!["total"]!.GetValue<int>();
            Assert.True(total >= atLeast, $"{entity}: {total} < {atLeast}");
        }

        var regions = new HashSet<string>();
        foreach (var region in new[] { "east", "south", "north", "central", "west" })
        {
            // In-house engineers (eng01…eng20); the service provider's technician (sp01) comes on top.
            var engineers = await client.GetFromJsonAsync<JsonObject>($"{Records}/engineer/records?filter=region:eq:{region}&filter=user_name:contains:eng");
            Assert.Equal(4, engineers!["total"]!.GetValue<int>());
            regions.Add(region);
        }

        Assert.Equal(5, regions.Count);
    }

    [Fact]
    public async Task ReturnRequest_OnADemoOrder_FillsFromTheOrder_AndNumbersIt()
    {
        using var client = await platform.ClientForAsync("cs02");
        var order = await FirstAsync(client, "sales_order", "&sort=-createdAt");
        var orderNo = order["data"]!["order_no"]!.GetValue<string>();
        var item = order["data"]!["items"]![0]!;
        var response = await client.PostAsJsonAsync($"{Records}/return_request/records", Body(new JsonObject
        {
            ["order_no"] = orderNo,
            ["product"] = item["product"]!.GetValue<string>(),
            ["customer_name"] = "王小明",
            ["phone"] = "13912345678",
            ["kind"] = "exchange",
            ["reason"] = "damaged",
            ["images"] = new JsonArray("file-1"),
            ["quantity"] = 1,
        }));

        var created = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        var data = created["data"]!;
        Assert.Equal(order["data"]!["purchased_at"]!.GetValue<string>(), data["purchased_at"]!.GetValue<string>());
        Assert.Equal(order["data"]!["customer"]!.GetValue<string>(), data["customer"]!.GetValue<string>());
        Assert.Equal(item["quantity"]!.GetValue<int>(), data["purchased_qty"]!.GetValue<int>());
        Assert.Equal(item["unit_price"]!.GetValue<decimal>(), data["amount"]!.GetValue<decimal>());
        Assert.StartsWith("RT", data["request_no"]!.GetValue<string>());
    }

    [Fact]
    public async Task Feedback_NeedsExactlyOneSubject()
    {
        using var client = await platform.ClientForAsync("cs01");
        var ticket = await FirstAsync(client, "service_request");
        var request = await FirstAsync(client, "return_request");

        var neither = await client.PostAsJsonAsync($"{Records}/feedback/records", Body(new JsonObject { ["rating"] = 5 }));
        Assert.Equal(["service_request"], await ApiAssert.InvalidFieldsAsync(neither));

        var both = await client.PostAsJsonAsync($"{Records}/feedback/records", Body(new JsonObject
        {
            ["rating"] = 4, ["service_request"] = ticket["id"]!.GetValue<string>(), ["return_request"] = request["id"]!.GetValue<string>(),
        }));
        Assert.Equal(["service_request"], await ApiAssert.InvalidFieldsAsync(both));

        var badRating = await client.PostAsJsonAsync($"{Records}/feedback/records", Body(new JsonObject
        {
            ["rating"] = 6, ["service_request"] = ticket["id"]!.GetValue<string>(),
        }));
        Assert.Equal(["rating"], await ApiAssert.InvalidFieldsAsync(badRating));

        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/feedback/records", Body(new JsonObject
        {
            ["rating"] = 5, ["first_time_fix"] = true, ["service_request"] = ticket["id"]!.GetValue<string>(),
        })), HttpStatusCode.Created);
    }

    [Fact]
    public async Task PartUsage_RefusesUnknownReferences()
    {
        using var client = await platform.ClientForAsync("eng01");
        var ticket = await FirstAsync(client, "service_request");
        var response = await client.PostAsJsonAsync($"{Records}/part_usage/records", Body(new JsonObject
        {
            ["service_request"] = ticket["id"]!.GetValue<string>(), ["part"] = Guid.NewGuid().ToString(), ["quantity"] = 1,
        }));
        Assert.Equal(["part"], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task LogisticsClaim_ColdChainNeedsTemperatureLog_BrokenNeedsEvidence()
    {
        using var client = await platform.ClientForAsync("cs01");
        var claim = new JsonObject
        {
            ["waybill_no"] = "SF998877665544", ["customer_type"] = "ka", ["claim_type"] = "broken", ["cold_chain"] = true, ["amount"] = 3200,
        };
        Assert.Equal(["evidence", "temperature_log"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Records}/logistics_claim/records", Body(claim))));

        claim["waybill_no"] = "bad no!";
        claim["evidence"] = new JsonArray("e1");
        claim["temperature_log"] = new JsonArray("t1");
        Assert.Equal(["waybill_no"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Records}/logistics_claim/records", Body(claim))));

        claim["waybill_no"] = "SF998877665544";
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/logistics_claim/records", Body(claim)), HttpStatusCode.Created);
        Assert.Equal("submitted", created["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Product_SkuIsUnique()
    {
        using var client = await platform.ClientForAsync("admin");
        var existing = await FirstAsync(client, "product");
        var response = await client.PostAsJsonAsync($"{Records}/product/records", Body(new JsonObject
        {
            ["sku"] = existing["data"]!["sku"]!.GetValue<string>(), ["name"] = "重复 SKU", ["category"] = "other", ["price"] = 10,
        }));
        Assert.Equal(["sku"], await ApiAssert.InvalidFieldsAsync(response));
    }
}
