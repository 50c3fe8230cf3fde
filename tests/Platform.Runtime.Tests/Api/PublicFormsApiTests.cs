using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>Public form links: stable unguessable tokens, anonymous submissions through the records engine, QR codes, renewal.</summary>
[Collection("platform")]
public sealed class PublicFormsApiTests(PlatformFixture platform)
{
    private async Task<JsonObject> ReturnFormAsync()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var links = await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms");
        return links!.Single(l => l!["form"]!.GetValue<string>() == "return_form")!.AsObject();
    }

    private async Task<JsonObject> ValidReturnAsync()
    {
        using var client = await platform.ClientForAsync("cs01");
        var orders = await client.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/entities/sales_order/records?sort=-createdAt&pageSize=1");
        var order = orders!["items"]![0]!["data"]!;
        return new JsonObject
        {
            ["order_no"] = order["order_no"]!.GetValue<string>(),
            ["product"] = order["items"]![0]!["product"]!.GetValue<string>(),
            ["customer_name"] = "周小燕",
            ["phone"] = "13800001111",
            ["kind"] = "return",
            ["reason"] = "no_reason",
            ["quantity"] = 1,
        };
    }

    [Fact]
    public async Task ListPublicForms_IssuesOneStableTokenPerForm_WithLinkQrAndEmbed()
    {
        var first = await ReturnFormAsync();
        var again = await ReturnFormAsync();
        var token = first["token"]!.GetValue<string>();
        Assert.Equal(token, again["token"]!.GetValue<string>());
        Assert.Equal(22, token.Length);
        Assert.EndsWith($"/f/{token}", first["url"]!.GetValue<string>());
        Assert.Contains($"/f/{token}", first["embedHtml"]!.GetValue<string>());
        Assert.StartsWith("<iframe", first["embedHtml"]!.GetValue<string>());

        using var anonymous = platform.Anonymous();
        var qr = await anonymous.GetAsync(new Uri(first["qrCodeUrl"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await qr.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task ListPublicForms_Forbidden_WhenNotADesigner()
    {
        using var cs = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.GetAsync("/api/apps/after_sales/public-forms")).StatusCode);
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/apps/after_sales/public-forms")).StatusCode);
    }

    [Fact]
    public async Task Submit_CreatesTheRecordAndAnswersItsTrackingNumber_WhenValid()
    {
        var token = (await ReturnFormAsync())["token"]!.GetValue<string>();
        using var anonymous = platform.Anonymous();
        var form = await anonymous.GetFromJsonAsync<JsonObject>($"/api/public/forms/{token}");
        Assert.Equal("退换货申请", form!["title"]!.GetValue<string>());
        Assert.Contains(form["fields"]!.AsArray(), f => f!["key"]!.GetValue<string>() == "phone");
        Assert.DoesNotContain(form["fields"]!.AsArray(), f => f!["key"]!.GetValue<string>() == "status");

        var response = await anonymous.PostAsJsonAsync($"/api/public/forms/{token}", new JsonObject { ["data"] = await ValidReturnAsync() });
        var created = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        var trackingNo = created["trackingNo"]!.GetValue<string>();
        Assert.StartsWith("RT", trackingNo);

        var tracked = await anonymous.GetFromJsonAsync<JsonObject>($"/api/public/track/{trackingNo}?phone=13800001111");
        Assert.Equal(trackingNo, tracked!["trackingNo"]!.GetValue<string>());
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from records where entity_key = 'return_request' and data->>'request_no' = $1 and created_by = 'public:return_form'", trackingNo));
    }

    [Fact]
    public async Task Submit_Is422NamingTheFields_AndWritesNothing_WhenInvalid()
    {
        var token = (await ReturnFormAsync())["token"]!.GetValue<string>();
        var data = await ValidReturnAsync();
        data["phone"] = "12345";
        data["customer_name"] = "拒绝测试";
        using var anonymous = platform.Anonymous();
        var response = await anonymous.PostAsJsonAsync($"/api/public/forms/{token}", new JsonObject { ["data"] = data });
        Assert.Equal(["phone"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where data->>'customer_name' = '拒绝测试'"));
    }

    [Fact]
    public async Task Submit_DropsFieldsTheFormDoesNotShow()
    {
        var token = (await ReturnFormAsync())["token"]!.GetValue<string>();
        var data = await ValidReturnAsync();
        data["customer_name"] = "越权测试";
        data["status"] = "completed";
        data["amount"] = 99999;
        using var anonymous = platform.Anonymous();
        var created = await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync($"/api/public/forms/{token}", new JsonObject { ["data"] = data }), HttpStatusCode.Created);
        Assert.Equal(0, await platform.CountAsync(
            "select count(*) from records where data->>'customer_name' = '越权测试' and (data->>'status' = 'completed' or data->>'amount' = '99999')"));
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where data->>'request_no' = $1", created["trackingNo"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PublicForm_Is404_WhenTheTokenIsUnknownOrRenewed()
    {
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/public/forms/AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/public/forms/x")).StatusCode);

        using var analyst = await platform.ClientForAsync("analyst");
        var links = await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms");
        var old = links!.Single(l => l!["form"]!.GetValue<string>() == "repair_form")!["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/public/forms/{old}")).StatusCode);
        var renewed = await ApiAssert.JsonAsync(await analyst.PostAsync("/api/apps/after_sales/public-forms/repair_form/renew", null), HttpStatusCode.OK);
        Assert.NotEqual(old, renewed["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/forms/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/public/forms/{renewed["token"]}")).StatusCode);
    }
}
