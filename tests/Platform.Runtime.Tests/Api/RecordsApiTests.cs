using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

[Collection("platform")]
public sealed class RecordsApiTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    private static JsonObject Body(JsonObject data) => new() { ["data"] = data };

    private async Task<string> CreateOrderAsync(HttpClient client, int quantity = 2, decimal price = 300m)
    {
        var customer = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", Body(new JsonObject
        {
            ["name"] = "测试客户", ["phone"] = "13900001111", ["region"] = "east",
        })), HttpStatusCode.Created);
        // Products are master data kept by administrators; the order and the return are the caller's.
        using var admin = await platform.ClientForAsync("admin");
        var product = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"{Records}/product/records", Body(new JsonObject
        {
            ["sku"] = "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), ["name"] = "测试冰箱", ["category"] = "refrigeration", ["price"] = price,
        })), HttpStatusCode.Created);
        var orderNo = "SO-T" + Guid.NewGuid().ToString("N")[..10];
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/sales_order/records", Body(new JsonObject
        {
            ["order_no"] = orderNo,
            ["customer"] = customer["id"]!.GetValue<string>(),
            ["purchased_at"] = "2026-11-20",
            ["items"] = new JsonArray(new JsonObject { ["product"] = product["id"]!.GetValue<string>(), ["quantity"] = quantity, ["unit_price"] = price }),
        })), HttpStatusCode.Created);
        return orderNo;
    }

    private static JsonObject Return(string orderNo, Action<JsonObject>? change = null)
    {
        var data = new JsonObject
        {
            ["order_no"] = orderNo, ["customer_name"] = "张三", ["phone"] = "13812345678", ["kind"] = "return", ["reason"] = "no_reason", ["quantity"] = 1,
        };
        change?.Invoke(data);
        return Body(data);
    }

    private Task<long> ReturnCountAsync() =>
        platform.CountAsync("select count(*) from records where app_key = 'after_sales' and entity_key = 'return_request'");

    [Theory]
    [InlineData("phone", "phone")]
    [InlineData("quantity", "quantity")]
    [InlineData("quality", "description,images")]
    public async Task Create_Returns422NamingExactlyTheField_AndWritesNothing(string mistake, string fields)
    {
        using var client = await platform.ClientForAsync("cs01");
        var orderNo = await CreateOrderAsync(client);
        var before = await ReturnCountAsync();
        var body = Return(orderNo, d =>
        {
            switch (mistake)
            {
                case "phone": d["phone"] = "12345"; break;
                case "quantity": d["quantity"] = 3; break;
                case "quality": d["reason"] = "quality"; break;
            }
        });

        var response = await client.PostAsJsonAsync($"{Records}/return_request/records", body);

        Assert.Equal(fields.Split(','), await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(before, await ReturnCountAsync());
    }

    [Fact]
    public async Task Create_Returns201WithComputedAndLookedUpFields_WhenValid()
    {
        using var client = await platform.ClientForAsync("cs01");
        var orderNo = await CreateOrderAsync(client);

        var response = await client.PostAsJsonAsync($"{Records}/return_request/records", Return(orderNo, d => d["quantity"] = 2));

        var record = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.NotNull(response.Headers.Location);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var data = record["data"]!;
        Assert.Matches("^RT\\d{8}\\d{4}$", data["request_no"]!.GetValue<string>());
        Assert.Equal(600, data["amount"]!.GetValue<decimal>());
        Assert.Equal(2, data["purchased_qty"]!.GetValue<int>());
        Assert.Equal("pending", data["status"]!.GetValue<string>());
        Assert.Equal("cs01", record["createdBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Returns201EqualToTheStoredRecord_WithOwnerDepartmentAndAudit_WhenTheEntityHasAnAutoNumber()
    {
        using var client = await platform.ClientForAsync("cs01");
        var orderNo = await CreateOrderAsync(client);

        // The 201 is built from what was sent plus the numbers the insert assigned: it must equal what a read returns.
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/return_request/records", Return(orderNo)), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var stored = (await client.GetFromJsonAsync<JsonObject>($"{Records}/return_request/records/{id}"))!;

        foreach (var key in new[] { "id", "version", "createdBy", "updatedBy" })
        {
            Assert.Equal(stored[key]!.ToJsonString(), created[key]!.ToJsonString());
        }

        Assert.Equal(stored["createdAt"]!.GetValue<DateTimeOffset>(), created["createdAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(stored["updatedAt"]!.GetValue<DateTimeOffset>(), created["updatedAt"]!.GetValue<DateTimeOffset>());
        Assert.True(JsonNode.DeepEquals(stored["data"], created["data"]), $"{created["data"]} != {stored["data"]}");
        var requestNo = created["data"]!["request_no"]!.GetValue<string>();
        Assert.Matches("^RT\\d{8}\\d{4}$", requestNo);

        // Owner department: the creator's, as the users table has it (taken from the caller, not looked up in the insert).
        Assert.Equal(
            await platform.ScalarAsync<string>("select department from users where user_name = 'cs01'"),
            await platform.ScalarAsync<string>("select owner_department from records where id = $1", Guid.Parse(id)));

        // The audit row holds the stored data, auto-number included.
        var audit = (await client.GetFromJsonAsync<JsonArray>($"{Records}/return_request/records/{id}/audit"))!;
        Assert.Equal("create", Assert.Single(audit)!["action"]!.GetValue<string>());
        Assert.Equal(requestNo, audit[0]!["changes"]!["request_no"]!["after"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_Returns409WhenStale_And200WithNextVersion_AndAudits()
    {
        using var client = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", Body(new JsonObject
        {
            ["name"] = "审计客户", ["phone"] = "13700000001", ["region"] = "south",
        })), HttpStatusCode.Created);
        var url = $"{Records}/customer/records/{created["id"]}";

        var current = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(Body(new JsonObject { ["name"] = "审计客户二" })) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var updated = await ApiAssert.JsonAsync(await client.SendAsync(current), HttpStatusCode.OK);
        Assert.Equal(2, updated["version"]!.GetValue<int>());

        var stale = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(Body(new JsonObject { ["name"] = "过期修改" })) };
        stale.Headers.TryAddWithoutValidation("If-Match", "1");
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(stale)).StatusCode);

        var missing = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(Body(new JsonObject { ["name"] = "无版本" })) };
        Assert.Equal((HttpStatusCode)428, (await client.SendAsync(missing)).StatusCode);

        var fetched = await ApiAssert.JsonAsync(await client.GetAsync(url), HttpStatusCode.OK);
        Assert.Equal("审计客户二", fetched["data"]!["name"]!.GetValue<string>());

        var audit = (await client.GetFromJsonAsync<JsonArray>(url + "/audit"))!;
        Assert.Equal(2, audit.Count);
        var change = audit[1]!["changes"]!["name"]!;
        Assert.Equal("审计客户", change["before"]!.GetValue<string>());
        Assert.Equal("审计客户二", change["after"]!.GetValue<string>());
        Assert.Equal("cs01", audit[1]!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_Returns204_ThenRecordIsGoneAndAudited()
    {
        using var client = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", Body(new JsonObject
        {
            ["name"] = "待删除", ["phone"] = "13700000002", ["region"] = "west",
        })), HttpStatusCode.Created);
        var url = $"{Records}/customer/records/{created["id"]}";

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        Assert.Equal(1, await platform.CountAsync("select count(*) from record_audit where record_id = $1 and action = 'delete'", Guid.Parse(created["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Requests_Return404_ForUnknownAppEntityOrRecord()
    {
        using var client = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/apps/nope/entities/customer/records")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Records}/nope/records")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Records}/customer/records/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Create_Returns400_WhenJsonIsMalformed()
    {
        using var client = await platform.ClientForAsync("cs01");
        var response = await client.PostAsync($"{Records}/customer/records", new StringContent("{\"data\": {\"name\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Requests_Return401WithoutUser()
    {
        using var client = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{Records}/customer/records")).StatusCode);
    }

    [Fact]
    public async Task List_FiltersSortsAndPages()
    {
        using var client = await platform.ClientForAsync("cs01");
        var tag = "列表" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 5; i++)
        {
            await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/customer/records", Body(new JsonObject
            {
                ["name"] = $"{tag}-{i}", ["phone"] = $"1360000000{i}", ["region"] = i % 2 == 0 ? "north" : "central",
            })), HttpStatusCode.Created);
        }

        var page = await client.GetFromJsonAsync<JsonObject>($"{Records}/customer/records?filter=name:contains:{tag}&filter=region:eq:north&sort=-name&page=1&pageSize=2");
        Assert.Equal(3, page!["total"]!.GetValue<int>());
        var names = page["items"]!.AsArray().Select(i => i!["data"]!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal([$"{tag}-4", $"{tag}-2"], names);

        var bad = await client.GetAsync($"{Records}/customer/records?filter=ghost:eq:1&pageSize=1000");
        Assert.Equal(["filter", "pageSize"], await ApiAssert.InvalidFieldsAsync(bad));
    }

    [Fact]
    public async Task Create_AssignsGaplessAutoNumbers_UnderConcurrency()
    {
        using var client = await platform.ClientForAsync("cs01");
        var tasks = Enumerable.Range(0, 24).Select(async i =>
        {
            var response = await client.PostAsJsonAsync($"{Records}/logistics_claim/records", Body(new JsonObject
            {
                ["waybill_no"] = $"SF{i:0000000000}", ["customer_type"] = "retail", ["claim_type"] = "delayed", ["amount"] = 100 + i,
            }));
            return (await ApiAssert.JsonAsync(response, HttpStatusCode.Created))["data"]!["claim_no"]!.GetValue<string>();
        });
        var numbers = await Task.WhenAll(tasks);

        var sequences = numbers.Select(n => int.Parse(n[^4..])).Order().ToArray();
        Assert.Equal(24, sequences.Distinct().Count());
        Assert.Equal(Enumerable.Range(sequences[0], 24), sequences);
    }

    [Fact]
    public async Task Create_Returns413_WhenBodyExceedsLimit()
    {
        using var client = await platform.ClientForAsync("cs01");
        var huge = new string('x', 3 * 1024 * 1024);
        var response = await client.PostAsync($"{Records}/customer/records", new StringContent($"{{\"data\":{{\"name\":\"{huge}\"}}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Create_DropsSystemFields_AndKeepsDefaults()
    {
        using var client = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/service_request/records", Body(new JsonObject
        {
            ["type"] = "repair", ["customer_name"] = "李四", ["phone"] = "13811112222", ["description"] = "冰箱不制冷",
            ["region"] = "east", ["address"] = "上海市浦东新区世纪大道1号", ["status"] = "closed", ["engineer"] = Guid.NewGuid().ToString(),
        })), HttpStatusCode.Created);
        var data = created["data"]!;
        Assert.Equal("new", data["status"]!.GetValue<string>());
        Assert.Equal("normal", data["priority"]!.GetValue<string>());
        Assert.Null(data["engineer"]);
        Assert.Matches("^SR\\d{12}$", data["ticket_no"]!.GetValue<string>());
    }
}
