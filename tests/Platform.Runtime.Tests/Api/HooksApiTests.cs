using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Hosting;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

[Collection("platform")]
public sealed class HooksApiTests(PlatformFixture platform)
{
    private const string Hooks = "/api/apps/after_sales/hooks";
    private const string Records = "/api/apps/after_sales/entities";

    private static readonly JsonObject OrderMapping = new()
    {
        ["order_no"] = "$.orderNo",
        ["customer"] = "$.customerId",
        ["purchased_at"] = "/date",
        ["channel"] = "channel",
        ["items"] = "lines[*]",
    };

    private sealed record Erp(string Key, string Token, string Customer, string Product);

    /// <summary>A sales_order hook matched by order_no, with a token, plus a customer and a product to order.</summary>
    private async Task<Erp> CreateErpHookAsync()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "erp_" + Guid.NewGuid().ToString("N")[..8];
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"{Hooks}/{key}", new JsonObject
        {
            ["entity"] = "sales_order", ["matchField"] = "order_no", ["mapping"] = OrderMapping.DeepClone(), ["enabled"] = true,
        }), HttpStatusCode.Created);
        var token = await ApiAssert.JsonAsync(await admin.PostAsync($"{Hooks}/{key}/token", null), HttpStatusCode.OK);
        Assert.EndsWith($"/api/public/hooks/after_sales/{key}", token["url"]!.GetValue<string>());

        var customer = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"{Records}/customer/records", new JsonObject
        {
            ["data"] = new JsonObject { ["name"] = "ERP 客户", ["phone"] = "13900002222", ["region"] = "south" },
        }), HttpStatusCode.Created);
        var product = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"{Records}/product/records", new JsonObject
        {
            ["data"] = new JsonObject { ["sku"] = "ERP-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), ["name"] = "ERP 冰箱", ["category"] = "refrigeration", ["price"] = 300 },
        }), HttpStatusCode.Created);
        return new Erp(key, token["token"]!.GetValue<string>(), customer["id"]!.GetValue<string>(), product["id"]!.GetValue<string>());
    }

    private static string NewOrderNo() => "SO-ERP" + Guid.NewGuid().ToString("N")[..10];

    private static JsonObject Payload(Erp erp, string orderNo, Action<JsonObject>? change = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Fixtures", "erp-sales-order.json"))
            .Replace("{orderNo}", orderNo, StringComparison.Ordinal)
            .Replace("{customer}", erp.Customer, StringComparison.Ordinal)
            .Replace("{product}", erp.Product, StringComparison.Ordinal);
        var payload = JsonNode.Parse(text)!.AsObject();
        change?.Invoke(payload);
        return payload;
    }

    private async Task<HttpResponseMessage> DeliverAsync(string hookKey, string? token, JsonObject body, string? idempotencyKey = null, bool asHeader = false)
    {
        using var client = platform.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/public/hooks/after_sales/{hookKey}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null && asHeader)
        {
            request.Headers.Add("X-Hook-Token", token);
        }
        else if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    private Task<long> OrderCountAsync(string orderNo) =>
        platform.CountAsync("select count(*) from records where app_key = 'after_sales' and entity_key = 'sales_order' and data->>'order_no' = $1", orderNo);

    [Fact]
    public async Task Deliver_CreatesThenUpdatesOneRecord_WhenErpPushesTheSameOrderTwice()
    {
        var erp = await CreateErpHookAsync();
        var orderNo = NewOrderNo();

        var first = await ApiAssert.JsonAsync(await DeliverAsync(erp.Key, erp.Token, Payload(erp, orderNo)), HttpStatusCode.Created);
        var second = await ApiAssert.JsonAsync(await DeliverAsync(erp.Key, erp.Token, Payload(erp, orderNo, p =>
        {
            p["channel"] = "tmall";
            p["lines"]![0]!["quantity"] = 3;
        }), asHeader: true), HttpStatusCode.OK);

        Assert.True(first["created"]!.GetValue<bool>());
        Assert.False(second["created"]!.GetValue<bool>());
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(2, second["version"]!.GetValue<int>());
        Assert.Equal(1, await OrderCountAsync(orderNo));
        using var admin = await platform.ClientForAsync("admin");
        var record = await ApiAssert.JsonAsync(await admin.GetAsync($"{Records}/sales_order/records/{second["id"]}"), HttpStatusCode.OK);
        Assert.Equal("tmall", record["data"]!["channel"]!.GetValue<string>());
        Assert.Equal(900m, record["data"]!["total_amount"]!.GetValue<decimal>());
        Assert.Equal($"hook:{erp.Key}", record["createdBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-the-token")]
    [InlineData(null)]
    public async Task Deliver_Returns401AndWritesNothing_WhenTokenIsWrongOrMissing(string? token)
    {
        var erp = await CreateErpHookAsync();
        var orderNo = NewOrderNo();

        var response = await DeliverAsync(erp.Key, token, Payload(erp, orderNo));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await OrderCountAsync(orderNo));
    }

    [Fact]
    public async Task Deliver_Returns404_WhenHookIsUnknown()
    {
        var response = await DeliverAsync("no_such_hook", "whatever", new JsonObject { ["data"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RotateToken_InvalidatesTheOldToken_WhenANewOneIsIssued()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "crm_" + Guid.NewGuid().ToString("N")[..8];
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"{Hooks}/{key}", new JsonObject { ["entity"] = "customer" }), HttpStatusCode.Created);
        var old = (await ApiAssert.JsonAsync(await admin.PostAsync($"{Hooks}/{key}/token", null), HttpStatusCode.OK))["token"]!.GetValue<string>();
        var fresh = (await ApiAssert.JsonAsync(await admin.PostAsync($"{Hooks}/{key}/token", null), HttpStatusCode.OK))["token"]!.GetValue<string>();
        var body = new JsonObject { ["data"] = new JsonObject { ["name"] = "轮换客户", ["phone"] = "13900003333", ["region"] = "华东" } };

        var withOld = await DeliverAsync(key, old, body);
        var withFresh = await DeliverAsync(key, fresh, new JsonObject { ["data"] = new JsonObject { ["name"] = "轮换客户", ["phone"] = "13900003333", ["region"] = "east" } });

        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        var created = await ApiAssert.JsonAsync(withFresh, HttpStatusCode.Created);
        Assert.True(created["created"]!.GetValue<bool>());
        var hook = await ApiAssert.JsonAsync(await admin.GetAsync($"{Hooks}/{key}"), HttpStatusCode.OK);
        Assert.True(hook["hasToken"]!.GetValue<bool>());
        Assert.Null(hook["token"]);
    }

    [Fact]
    public async Task Deliver_ReplaysTheFirstResponseAndWritesOnce_WhenIdempotencyKeyRepeats()
    {
        var erp = await CreateErpHookAsync();
        var orderNo = NewOrderNo();
        var idempotencyKey = Guid.NewGuid().ToString();

        var first = await DeliverAsync(erp.Key, erp.Token, Payload(erp, orderNo), idempotencyKey);
        var replay = await DeliverAsync(erp.Key, erp.Token, Payload(erp, orderNo, p => p["channel"] = "tmall"), idempotencyKey);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await first.Content.ReadAsStringAsync()), JsonNode.Parse(await replay.Content.ReadAsStringAsync())));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await OrderCountAsync(orderNo));
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from records where entity_key = 'sales_order' and data->>'order_no' = $1 and version = 1 and data->>'channel' = 'jd'", orderNo));
    }

    [Fact]
    public async Task Deliver_Returns422NamingFieldsAndWritesNothing_WhenPayloadIsInvalid()
    {
        var erp = await CreateErpHookAsync();
        var orderNo = NewOrderNo();

        var response = await DeliverAsync(erp.Key, erp.Token, Payload(erp, orderNo, p =>
        {
            p["date"] = "2026-13-45";
            p["channel"] = "fax";
        }));

        Assert.Equal(["channel", "purchased_at"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(0, await OrderCountAsync(orderNo));
    }

    [Theory]
    [InlineData("""{"entity":"no_such_entity"}""", "entity")]
    [InlineData("""{"entity":"sales_order","matchField":"order_number"}""", "matchField")]
    [InlineData("""{"entity":"sales_order","mapping":{"order_no":"$.orderNo","colour":"$.colour"}}""", "mapping.colour")]
    [InlineData("""{"entity":"sales_order","mapping":{"total_amount":"$.total"}}""", "mapping.total_amount")]
    public async Task PutHook_Returns422NamingTheField_WhenSettingsReferToUnknownFields(string body, string field)
    {
        using var admin = await platform.ClientForAsync("admin");

        var response = await admin.PutAsync($"{Hooks}/bad_{Guid.NewGuid().ToString("N")[..6]}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task HookManagement_Returns403_ForNonAdmin()
    {
        using var cs = await platform.ClientForAsync("cs01");

        var list = await cs.GetAsync(Hooks);
        var put = await cs.PutAsJsonAsync($"{Hooks}/sneaky", new JsonObject { ["entity"] = "customer" });
        var token = await cs.PostAsync($"{Hooks}/sneaky/token", null);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
    }

    [Fact]
    public async Task ListAndDelete_ShowTheHookThenForgetIt_WhenAdminDeletesIt()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "tmp_" + Guid.NewGuid().ToString("N")[..8];
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"{Hooks}/{key}", new JsonObject { ["entity"] = "customer", ["enabled"] = false }), HttpStatusCode.Created);
        var token = (await ApiAssert.JsonAsync(await admin.PostAsync($"{Hooks}/{key}/token", null), HttpStatusCode.OK))["token"]!.GetValue<string>();
        var disabled = await DeliverAsync(key, token, new JsonObject { ["data"] = new JsonObject { ["name"] = "停用", ["phone"] = "13900004444", ["region"] = "east" } });

        var listed = (await admin.GetFromJsonAsync<JsonArray>(Hooks))!.Select(h => h!["key"]!.GetValue<string>()).ToList();
        var deleted = await admin.DeleteAsync($"{Hooks}/{key}");
        var again = await admin.GetAsync($"{Hooks}/{key}");

        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Contains(key, listed);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Deliver_Returns429WithRetryAfter_WhenAHookExceedsItsRatePerMinute()
    {
        // A second node on the same database with a limit of 2 a minute: the third delivery to one hook is refused.
        await using var limited = platform.Factory.WithWebHostBuilder(b => b
            .UseSetting("Platform:HookRequestsPerMinute", "2")
            .UseSetting("Platform:Demo", "none"));
        await limited.Services.GetRequiredService<Readiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        using var client = limited.CreateClient();
        var body = new JsonObject { ["data"] = new JsonObject() };

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await client.PostAsJsonAsync("/api/public/hooks/after_sales/rate_probe", body);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }
}
