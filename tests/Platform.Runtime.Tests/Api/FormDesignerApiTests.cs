using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>The designer's backend: blank and template apps, import preview, drafts and entity publish.</summary>
[Collection("platform")]
public sealed class FormDesignerApiTests(PlatformFixture platform)
{
    private static JsonObject Ticket(params JsonObject[] fields) => new()
    {
        ["key"] = "ticket",
        ["label"] = "工单",
        ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()),
        ["form"] = new JsonObject
        {
            ["sections"] = new JsonArray(new JsonObject
            {
                ["key"] = "basic",
                ["title"] = "基本信息",
                ["columns"] = 2,
                ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f["key"]!.GetValue<string>()).ToArray()),
            }),
        },
    };

    private static JsonObject Field(string key, string type, bool required = false) => new() { ["key"] = key, ["type"] = type, ["label"] = key, ["required"] = required };

    private async Task<HttpClient> BlankAppAsync(string key)
    {
        var analyst = await platform.ClientForAsync("analyst");
        var created = await analyst.PostAsJsonAsync("/api/apps", new { key, name = "测试应用", nameEn = "Test app" });
        await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        return analyst;
    }

    [Fact]
    public async Task CreateApp_CreatesBlankApp_ThenRefusesTheSameKey()
    {
        using var analyst = await BlankAppAsync("blank_one");

        var app = await ApiAssert.JsonAsync(await analyst.GetAsync("/api/apps/blank_one"), HttpStatusCode.OK);
        Assert.Equal("测试应用", app["app"]!["name"]!.GetValue<string>());
        Assert.Equal(1, await platform.CountAsync("select version from apps where key = 'blank_one'"));

        var again = await analyst.PostAsJsonAsync("/api/apps", new { key = "blank_one", name = "另一个" });
        Assert.Equal(["key"], await ApiAssert.InvalidFieldsAsync(again));
        Assert.Equal(1, await platform.CountAsync("select version from apps where key = 'blank_one'"));
    }

    [Fact]
    public async Task CreateApp_Returns422NamingKeyAndName_WhenTheyAreInvalid()
    {
        using var analyst = await platform.ClientForAsync("analyst");

        Assert.Equal(["key", "name"], await ApiAssert.InvalidFieldsAsync(await analyst.PostAsJsonAsync("/api/apps", new { key = "", name = "" })));
        Assert.Equal(["key"], await ApiAssert.InvalidFieldsAsync(await analyst.PostAsJsonAsync("/api/apps", new { key = "Bad Key", name = "x" })));
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where name = 'x'"));
    }

    [Fact]
    public async Task CreateApp_RefusesCustomers_WithForbidden()
    {
        using var customerService = await platform.ClientForAsync("cs01");

        var response = await customerService.PostAsJsonAsync("/api/apps", new { key = "not_mine", name = "不行" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CreateApp_CopiesTheAfterSalesTemplate_UnderANewKey()
    {
        using var analyst = await platform.ClientForAsync("analyst");

        var created = await ApiAssert.JsonAsync(
            await analyst.PostAsJsonAsync("/api/apps", new { key = "after_sales_copy", name = "售后副本", template = "after-sales" }), HttpStatusCode.Created);

        Assert.True(created["created"]!.GetValue<bool>());
        var entities = await platform.CountAsync("select jsonb_array_length(definition->'entities') from apps where key = 'after_sales_copy'");
        Assert.Equal(await platform.CountAsync("select jsonb_array_length(definition->'entities') from apps where key = 'after_sales'"), entities);
        Assert.Equal("售后副本", (await ApiAssert.JsonAsync(await analyst.GetAsync("/api/apps/after_sales_copy"), HttpStatusCode.OK))["app"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PreviewImport_ListsWhatWouldBeCreated_AndWritesNothing()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var package = new JsonObject
        {
            ["format"] = "platform-app",
            ["formatVersion"] = 1,
            ["app"] = new JsonObject { ["key"] = "preview_only", ["name"] = "预览" },
            ["entities"] = new JsonArray(Ticket(Field("title", "text", required: true), Field("qty", "number"))),
            ["seed"] = new JsonObject { ["ticket"] = new JsonArray(new JsonObject { ["title"] = "一", ["qty"] = 1 }, new JsonObject { ["title"] = "二" }) },
        };

        var preview = await ApiAssert.JsonAsync(await analyst.PostAsJsonAsync("/api/apps/import/preview", package), HttpStatusCode.OK);

        Assert.Equal("preview_only", preview["appKey"]!.GetValue<string>());
        Assert.Equal(2, preview["entities"]![0]!["fields"]!.GetValue<int>());
        Assert.Equal(2, preview["seedRows"]!["ticket"]!.GetValue<int>());
        Assert.Null(preview["installedVersion"]);
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = 'preview_only'"));
    }

    [Fact]
    public async Task PreviewImport_Returns422NamingEveryProblem_AndWritesNothing()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var ticket = Ticket(Field("title", "text"), Field("count", "no-such-type"));
        ticket["form"]!["sections"]![0]!["fields"]!.AsArray().Add("missing");
        var package = new JsonObject
        {
            ["format"] = "platform-app",
            ["formatVersion"] = 1,
            ["app"] = new JsonObject { ["key"] = "preview_bad", ["name"] = "预览" },
            ["entities"] = new JsonArray(ticket),
        };

        var fields = await ApiAssert.InvalidFieldsAsync(await analyst.PostAsJsonAsync("/api/apps/import/preview", package));

        Assert.Contains("$.entities[0].fields[1].type", fields);
        Assert.Contains("$.entities[0].form.sections[0].fields[2]", fields);
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = 'preview_bad'"));
    }

    [Fact]
    public async Task Drafts_SaveGetListDelete_RoundTrip()
    {
        using var analyst = await BlankAppAsync("drafts_app");
        var body = Ticket(Field("title", "text"));

        var saved = await ApiAssert.JsonAsync(await analyst.PutAsJsonAsync("/api/apps/drafts_app/drafts/entity/ticket", body), HttpStatusCode.OK);
        Assert.Equal("analyst", saved["updatedBy"]!.GetValue<string>());
        body["label"] = "服务工单";
        await ApiAssert.JsonAsync(await analyst.PutAsJsonAsync("/api/apps/drafts_app/drafts/entity/ticket", body), HttpStatusCode.OK);

        var read = await ApiAssert.JsonAsync(await analyst.GetAsync("/api/apps/drafts_app/drafts/entity/ticket"), HttpStatusCode.OK);
        Assert.Equal("服务工单", read["body"]!["label"]!.GetValue<string>());
        var list = await analyst.GetFromJsonAsync<JsonArray>("/api/apps/drafts_app/drafts");
        Assert.Single(list!);

        Assert.Equal(HttpStatusCode.NoContent, (await analyst.DeleteAsync("/api/apps/drafts_app/drafts/entity/ticket")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/api/apps/drafts_app/drafts/entity/ticket")).StatusCode);
    }

    [Fact]
    public async Task Drafts_Return422NamingTheInput_WhenKindKeyOrBodyKeyIsBad()
    {
        using var analyst = await BlankAppAsync("drafts_bad");

        Assert.Equal(["kind"], await ApiAssert.InvalidFieldsAsync(await analyst.PutAsJsonAsync("/api/apps/drafts_bad/drafts/widget/a", new JsonObject())));
        Assert.Equal(["key"], await ApiAssert.InvalidFieldsAsync(await analyst.PutAsJsonAsync("/api/apps/drafts_bad/drafts/entity/Bad", new JsonObject())));
        Assert.Equal(["key"], await ApiAssert.InvalidFieldsAsync(await analyst.PutAsJsonAsync("/api/apps/drafts_bad/drafts/entity/a", new JsonObject { ["key"] = "b" })));
        Assert.Equal(0, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'drafts_bad'"));
    }

    [Fact]
    public async Task PublishEntity_Returns422AtTheBadPath_AndWritesNothing_WhenAFieldKeyIsInvalid()
    {
        using var analyst = await BlankAppAsync("publish_bad");
        var body = Ticket(Field("title", "text"), Field("Bad-Key", "text"));
        await analyst.PutAsJsonAsync("/api/apps/publish_bad/drafts/entity/ticket", body);

        var fields = await ApiAssert.InvalidFieldsAsync(await analyst.PutAsJsonAsync("/api/apps/publish_bad/entities/ticket", body));

        Assert.Contains("fields[1].key", fields);
        Assert.Equal(1, await platform.CountAsync("select version from apps where key = 'publish_bad'"));
        Assert.Equal(1, await platform.CountAsync("select count(*) from app_versions where app_key = 'publish_bad'"));
        Assert.Equal(1, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'publish_bad'"));
    }

    [Fact]
    public async Task PublishEntity_BumpsTheAppVersion_DeletesTheDraft_AndAcceptsRecords()
    {
        using var analyst = await BlankAppAsync("publish_good");
        var body = Ticket(Field("title", "text", required: true), Field("qty", "number"));
        await analyst.PutAsJsonAsync("/api/apps/publish_good/drafts/entity/ticket", body);

        var published = await ApiAssert.JsonAsync(await analyst.PutAsJsonAsync("/api/apps/publish_good/entities/ticket", body), HttpStatusCode.OK);

        Assert.Equal(2, published["appVersion"]!.GetValue<int>());
        Assert.Equal(2, await platform.CountAsync("select version from apps where key = 'publish_good'"));
        Assert.Equal(0, await platform.CountAsync("select count(*) from definition_drafts where app_key = 'publish_good'"));
        var entity = await ApiAssert.JsonAsync(await analyst.GetAsync("/api/apps/publish_good/entities/ticket"), HttpStatusCode.OK);
        Assert.Equal(2, entity["fields"]!.AsArray().Count);
        var record = await analyst.PostAsJsonAsync("/api/apps/publish_good/entities/ticket/records", new { data = new { qty = 2 } });
        Assert.Equal(["title"], await ApiAssert.InvalidFieldsAsync(record));

        // The same definition again changes nothing; a changed one is the next version.
        Assert.Equal(2, (await ApiAssert.JsonAsync(await analyst.PutAsJsonAsync("/api/apps/publish_good/entities/ticket", body), HttpStatusCode.OK))["appVersion"]!.GetValue<int>());
        body["fields"]![1]!["required"] = true;
        Assert.Equal(3, (await ApiAssert.JsonAsync(await analyst.PutAsJsonAsync("/api/apps/publish_good/entities/ticket", body), HttpStatusCode.OK))["appVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task PublishEntity_Returns422OnKey_WhenTheBodyNamesAnotherEntity()
    {
        using var analyst = await BlankAppAsync("publish_key");

        var fields = await ApiAssert.InvalidFieldsAsync(await analyst.PutAsJsonAsync("/api/apps/publish_key/entities/other", Ticket(Field("title", "text"))));

        Assert.Equal(["key"], fields);
    }
}
