using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

[Collection("platform")]
public sealed class AppsApiTests(PlatformFixture platform)
{
    private static JsonObject SmallPackage(string key) => JsonNode.Parse($$"""
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "{{key}}", "name": "通讯录" },
          "entities": [
            { "key": "company", "label": "公司", "fields": [ { "key": "name", "type": "text", "label": "名称", "required": true } ] },
            { "key": "contact", "label": "联系人", "fields": [
              { "key": "name", "type": "text", "label": "姓名", "required": true },
              { "key": "phone", "type": "phone", "label": "手机号" },
              { "key": "company", "type": "reference", "label": "公司", "reference": { "entity": "company" } } ] }
          ],
          "seed": {
            "company": [ { "@id": "acme", "name": "顶点科技" } ],
            "contact": [ { "name": "赵一", "phone": "13800000001", "company": "@acme" }, { "name": "钱二", "phone": "13800000002" } ]
          }
        }
        """)!.AsObject();

    [Fact]
    public async Task Import_Returns422ListingProblem_AndWritesNothing_WhenReferenceIsBroken()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = SmallPackage("broken_ref");
        package["entities"]![1]!["fields"]![2]!["reference"]!["entity"] = "firm";
        var appsBefore = await platform.CountAsync("select count(*) from apps");
        var recordsBefore = await platform.CountAsync("select count(*) from records");

        var response = await admin.PostAsJsonAsync("/api/apps/import", package);

        Assert.Contains("$.entities[1].fields[2].reference.entity", await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(appsBefore, await platform.CountAsync("select count(*) from apps"));
        Assert.Equal(recordsBefore, await platform.CountAsync("select count(*) from records"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/apps/broken_ref")).StatusCode);
    }

    [Fact]
    public async Task Import_Returns422NamingSeedRow_WhenSeedDataIsInvalid()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = SmallPackage("bad_seed");
        package["seed"]!["contact"]![1]!["phone"] = "123";

        var fields = await ApiAssert.InvalidFieldsAsync(await admin.PostAsJsonAsync("/api/apps/import", package));

        Assert.Equal(["$.seed.contact[1].phone"], fields);
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = 'bad_seed'"));
    }

    [Fact]
    public async Task Import_Creates_ThenSamePackageChangesNothing_ThenChangedPackageIsNewVersion()
    {
        using var admin = await platform.ClientForAsync("admin");
        var package = SmallPackage("contacts");

        var first = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        Assert.Equal("contacts", first["appKey"]!.GetValue<string>());
        Assert.Equal(3, await platform.CountAsync("select count(*) from records where app_key = 'contacts'"));
        var acme = await platform.CountAsync("select count(*) from records c join records co on co.id = (c.data->>'company')::uuid where c.app_key = 'contacts' and co.data->>'name' = '顶点科技'");
        Assert.Equal(1, acme);

        var again = await admin.PostAsJsonAsync("/api/apps/import", package);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await platform.CountAsync("select version from apps where key = 'contacts'"));

        package["entities"]![0]!["label"] = "企业";
        var changed = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.OK);
        Assert.Equal(2, changed["version"]!.GetValue<int>());
        Assert.Equal(3, await platform.CountAsync("select count(*) from records where app_key = 'contacts'"));
    }

    [Fact]
    public async Task Export_ThenImport_RoundTripsTheAfterSalesApp()
    {
        using var admin = await platform.ClientForAsync("admin");
        var exported = await admin.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/export");
        Assert.Equal("platform-app", exported!["format"]!.GetValue<string>());
        Assert.Equal(11, exported["entities"]!.AsArray().Count);
        var version = await platform.CountAsync("select version from apps where key = 'after_sales'");

        var reimport = await admin.PostAsJsonAsync("/api/apps/import", exported);

        Assert.Equal(HttpStatusCode.OK, reimport.StatusCode);
        Assert.Equal(version, await platform.CountAsync("select version from apps where key = 'after_sales'"));
        var reexported = await admin.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/export");
        Assert.True(JsonNode.DeepEquals(exported, reexported));
    }

    [Fact]
    public async Task Import_Returns403_ForNonAdmin()
    {
        using var cs = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.PostAsJsonAsync("/api/apps/import", SmallPackage("nope_forbidden"))).StatusCode);
    }

    [Fact]
    public async Task List_ShowsTheAfterSalesApp_AndServesHealthAndOpenApi()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var apps = await cs.GetFromJsonAsync<JsonArray>("/api/apps");
        Assert.Contains(apps!, a => a!["key"]!.GetValue<string>() == "after_sales");
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var openapi = await anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        Assert.NotNull(openapi!["paths"]!["/api/apps/{app}/entities/{entity}/records"]);
    }
}
