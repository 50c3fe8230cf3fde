using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Entity permissions through HTTP on a small app of their own: row scopes own / department / department tree,
/// field access per role, enforced on records, audit, exports and reports alike.
/// </summary>
[Collection("platform")]
public sealed class PermissionsApiTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string App = "perm_lab";
    private const string Cases = $"/api/apps/{App}/entities/case/records";

    private static JsonObject Package() => JsonNode.Parse("""
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "perm_lab", "name": "权限实验" },
          "entities": [
            { "key": "case", "label": "案件", "titleField": "title", "fields": [
                { "key": "title", "type": "text", "label": "标题", "required": true },
                { "key": "cost", "type": "money", "label": "费用" },
                { "key": "secret", "type": "text", "label": "内部备注" },
                { "key": "handler", "type": "user", "label": "处理人" } ],
              "permissions": [
                { "role": "customer_service", "create": true, "read": "department", "update": "own", "fields": { "cost": "read", "secret": "hidden" } },
                { "role": "supervisor", "create": true, "read": "department_tree", "update": "department_tree", "delete": "department_tree" },
                { "role": "engineer", "read": "own" } ] }
          ],
          "reports": [
            { "key": "case_count", "name": "案件数", "entity": "case", "dimensions": [], "measures": [ { "key": "count", "kind": "count", "label": "数量" } ], "chart": { "kind": "kpi" } }
          ]
        }
        """)!.AsObject();

    public async Task InitializeAsync()
    {
        using var admin = await platform.ClientForAsync("admin");
        if ((await admin.GetAsync($"/api/apps/{App}")).StatusCode == HttpStatusCode.NotFound)
        {
            (await admin.PostAsJsonAsync("/api/apps/import", Package())).EnsureSuccessStatusCode();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<JsonObject> CreateAsync(HttpClient client, string title, object? more = null)
    {
        var data = new JsonObject { ["title"] = title };
        foreach (var (key, value) in more is null ? [] : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(more))!.AsObject().ToList())
        {
            data[key] = value?.DeepClone();
        }

        return await ApiAssert.JsonAsync(await client.PostAsJsonAsync(Cases, new JsonObject { ["data"] = data }), HttpStatusCode.Created);
    }

    private static async Task<List<string>> TitlesAsync(HttpClient client, string tag) =>
        (await client.GetFromJsonAsync<JsonObject>($"{Cases}?filter=title:contains:{tag}&pageSize=200"))!["items"]!.AsArray()
            .Select(i => i!["data"]!["title"]!.GetValue<string>()).Order().ToList();

    [Fact]
    public async Task List_ShowsOnlyTheCallersDepartment_AndTheSupervisorSeesTheTreeBelow()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var cs01 = await platform.ClientForAsync("cs01");
        using var cs02 = await platform.ClientForAsync("cs02");
        using var sup = await platform.ClientForAsync("sup01");
        await CreateAsync(cs01, $"东-{tag}");
        await CreateAsync(cs02, $"南-{tag}");

        Assert.Equal([$"东-{tag}"], await TitlesAsync(cs01, tag));
        Assert.Equal([$"南-{tag}"], await TitlesAsync(cs02, tag));

        // sup01 is in cs_center, above cs_east and cs_south.
        Assert.Equal([$"东-{tag}", $"南-{tag}"], await TitlesAsync(sup, tag));
    }

    [Fact]
    public async Task Get_Answers404LikeAMissingRecord_OutsideTheScope_AndTheAuditToo()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var cs02 = await platform.ClientForAsync("cs02");
        var id = (await CreateAsync(cs01, "只属于华东"))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await cs01.GetAsync($"{Cases}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cs02.GetAsync($"{Cases}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cs02.GetAsync($"{Cases}/{id}/audit")).StatusCode);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{Cases}/{id}") { Content = JsonContent.Create(new { data = new { title = "改掉" } }) };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.NotFound, (await cs02.SendAsync(patch)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cs02.DeleteAsync($"{Cases}/{id}")).StatusCode);
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where id = $1 and data->>'title' = '只属于华东'", Guid.Parse(id)));
    }

    [Fact]
    public async Task Write_Refuses403NamingTheField_WhenTheRoleMayOnlyReadIt_AndChangesNothing()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var refused = await cs01.PostAsJsonAsync(Cases, new { data = new { title = "想改费用", cost = 99 } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["cost"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where app_key = 'perm_lab' and data->>'title' = '想改费用'"));

        var created = await CreateAsync(cs01, "回传只读字段");
        var id = created["id"]!.GetValue<string>();

        // Sending a read-only field back unchanged is fine (a form posts what it shows).
        using var same = new HttpRequestMessage(HttpMethod.Patch, $"{Cases}/{id}") { Content = JsonContent.Create(new { data = new { title = "回传只读字段 2" } }) };
        same.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await cs01.SendAsync(same)).StatusCode);

        using var hidden = new HttpRequestMessage(HttpMethod.Patch, $"{Cases}/{id}") { Content = JsonContent.Create(new { data = new { secret = "偷写" } }) };
        hidden.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        var answer = await cs01.SendAsync(hidden);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where id = $1 and data ? 'secret'", Guid.Parse(id)));
    }

    [Fact]
    public async Task Read_HidesHiddenFields_InRecordsListsAndExports_AndRefusesToFilterOnThem()
    {
        using var sup = await platform.ClientForAsync("sup01");
        using var cs01 = await platform.ClientForAsync("cs01");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var created = await CreateAsync(cs01, $"隐藏-{tag}");
        var id = created["id"]!.GetValue<string>();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{Cases}/{id}") { Content = JsonContent.Create(new { data = new { secret = $"机密{tag}", cost = 12 } }) };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await sup.SendAsync(patch)).StatusCode);

        var one = (await cs01.GetFromJsonAsync<JsonObject>($"{Cases}/{id}"))!;
        Assert.Null(one["data"]!["secret"]);
        Assert.Equal(12, one["data"]!["cost"]!.GetValue<decimal>());
        var listed = (await cs01.GetFromJsonAsync<JsonObject>($"{Cases}?filter=title:contains:{tag}"))!["items"]![0]!;
        Assert.Null(listed["data"]!["secret"]);
        var audit = (await cs01.GetFromJsonAsync<JsonArray>($"{Cases}/{id}/audit"))!;
        Assert.DoesNotContain(audit, a => a!["changes"]!.AsObject().ContainsKey("secret"));
        Assert.DoesNotContain($"机密{tag}", await cs01.GetStringAsync($"{Cases}/export?format=csv&filter=title:contains:{tag}"));
        Assert.Contains($"机密{tag}", await sup.GetStringAsync($"{Cases}/export?format=csv&filter=title:contains:{tag}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await cs01.GetAsync($"{Cases}?filter=secret:eq:x")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await cs01.GetAsync($"{Cases}?sort=secret")).StatusCode);
    }

    [Fact]
    public async Task Own_CoversRecordsNamingTheUser_AndReportsCountOnlyWhatTheViewerMayRead()
    {
        using var cs02 = await platform.ClientForAsync("cs02");
        using var eng = await platform.ClientForAsync("eng01");
        using var admin = await platform.ClientForAsync("admin");
        var tag = Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(cs02, $"派给工程师-{tag}", new { handler = "eng01" });
        await CreateAsync(cs02, $"没派-{tag}");
        // A record of another department, so the three scopes differ even when this test runs alone.
        using var cs01 = await platform.ClientForAsync("cs01");
        await CreateAsync(cs01, $"华东-{tag}");

        Assert.Equal([$"派给工程师-{tag}"], await TitlesAsync(eng, tag));
        Assert.Equal(HttpStatusCode.Forbidden, (await eng.PostAsJsonAsync(Cases, new { data = new { title = "工程师不能新建" } })).StatusCode);

        async Task<long> CountAsync(HttpClient client) =>
            (await client.GetFromJsonAsync<JsonObject>($"/api/apps/{App}/reports/case_count/data"))!["rows"]![0]!["count"]!.GetValue<long>();

        var all = await platform.CountAsync("select count(*) from records where app_key = 'perm_lab' and entity_key = 'case'");
        var mine = await platform.CountAsync("select count(*) from records where app_key = 'perm_lab' and entity_key = 'case' and (created_by = 'eng01' or data->>'handler' = 'eng01')");
        var south = await platform.CountAsync("select count(*) from records where app_key = 'perm_lab' and entity_key = 'case' and (owner_department = 'cs_south' or created_by = 'cs02' or data->>'handler' = 'cs02')");
        Assert.Equal(all, await CountAsync(admin));
        Assert.Equal(mine, await CountAsync(eng));
        Assert.Equal(south, await CountAsync(cs02));
        Assert.True(mine < south && south < all, $"the scopes must differ here: {mine} < {south} < {all}");
    }

    [Fact]
    public async Task Get_HidesTheFieldsAStepHidesFromItsAssignee_WhileTheTaskIsOpen()
    {
        using var admin = await platform.ClientForAsync("admin");
        var flow = JsonNode.Parse("""
            { "key": "hide_cost", "name": "隐藏费用", "entity": "case", "startWhen": "title.startsWith('审核')",
              "steps": [ { "key": "start", "type": "start" },
                         { "key": "check", "type": "approval", "assignees": { "users": ["cs01"] }, "fields": { "hidden": ["cost"] } },
                         { "key": "done", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "check" }, { "from": "check", "to": "done" } ] }
            """)!;
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"/api/apps/{App}/flows/hide_cost", flow), HttpStatusCode.OK);
        using var sup = await platform.ClientForAsync("sup01");
        using var cs01 = await platform.ClientForAsync("cs01");
        var id = (await ApiAssert.JsonAsync(await sup.PostAsJsonAsync(Cases, new { data = new { title = "审核-费用", cost = 88 } }), HttpStatusCode.Created))["id"]!.GetValue<string>();

        // cs01 reads this record only through the task (another department's record), and the step hides cost from them.
        var seen = (await cs01.GetFromJsonAsync<JsonObject>($"{Cases}/{id}"))!;
        Assert.Equal("审核-费用", seen["data"]!["title"]!.GetValue<string>());
        Assert.Null(seen["data"]!["cost"]);
        Assert.Equal(88, (await sup.GetFromJsonAsync<JsonObject>($"{Cases}/{id}"))!["data"]!["cost"]!.GetValue<decimal>());
    }
}
