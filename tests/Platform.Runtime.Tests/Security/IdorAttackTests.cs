using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Exports;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Insecure direct object references: cs01 (department cs_east, read scope "department" on returns) names records,
/// flow instances, tasks and files of cs02's department by id, through every route that takes one. Each refusal must
/// look exactly like a random id's, and the database must not change.
/// </summary>
[Collection("platform")]
public sealed class IdorAttackTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Records = Attack.App + "/entities";

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public Task InitializeAsync() => Attack.EnsureLabAsync(platform);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Guid> ForeignReturnAsync() =>
        Attack.ForeignAsync(platform, "return_request", "cs01", "cs_east", "cs_south").ContinueWith(t => t.Result.First());

    [Fact]
    public async Task ForeignRecord_Answers404LikeARandomId_ForGetPatchDeleteAndAudit_AndChangesNothing()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var foreign = await ForeignReturnAsync();
        var random = Guid.CreateVersion7();
        var version = (await Attack.ScalarAsync<int>(platform, "select version from records where id = $1", foreign)).ToString();
        var before = await Attack.RowAsync(platform, foreign);
        var patch = Attack.Body(new JsonObject { ["customer_name"] = "被篡改" });

        foreach (var (method, path, body, ifMatch) in new (HttpMethod, string, object?, bool)[]
        {
            (HttpMethod.Get, "return_request/records/{id}", null, false),
            (HttpMethod.Get, "return_request/records/{id}/audit", null, false),
            (HttpMethod.Patch, "return_request/records/{id}", patch, true),
            (HttpMethod.Delete, "return_request/records/{id}", null, false),
            // Another entity's path with the return's id: the id names no customer or order.
            (HttpMethod.Get, "customer/records/{id}", null, false),
            (HttpMethod.Get, "customer/records/{id}/audit", null, false),
            (HttpMethod.Patch, "customer/records/{id}", patch, true),
            (HttpMethod.Delete, "customer/records/{id}", null, false),
            (HttpMethod.Get, "sales_order/records/{id}", null, false),
        })
        {
            var probe = await Attack.RefusalAsync(
                await Attack.SendAsync(cs01, method, $"{Records}/{path.Replace("{id}", foreign.ToString())}", body, ifMatch ? version : null), foreign.ToString());
            var baseline = await Attack.RefusalAsync(
                await Attack.SendAsync(cs01, method, $"{Records}/{path.Replace("{id}", random.ToString())}", body, ifMatch ? version : null), random.ToString());
            Assert.True(probe.Status == HttpStatusCode.NotFound, $"{method} {path}: {(int)probe.Status} {probe.Body}");
            Assert.Equal(baseline, probe);
        }

        Assert.Equal(before, await Attack.RowAsync(platform, foreign));
    }

    [Fact]
    public async Task ForeignRecord_IsNotInListsExportsOrDrillDowns_WhenNamedById()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var foreign = await ForeignReturnAsync();

        var list = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Records}/return_request/records?filter=id:eq:{foreign}"), HttpStatusCode.OK);
        Assert.Equal(0, list["total"]!.GetValue<long>());
        var (header, rows) = ExportFiles.Csv(await ExportFiles.DownloadAsync(
            cs01, $"{Records}/return_request/records/export?format=csv&filter=id:eq:{foreign}", "text/csv; charset=utf-8", "退换货申请.csv"));
        Assert.NotEmpty(header);
        Assert.Empty(rows);

        // The drill-down of the point the foreign record belongs to lists only what cs01 may read.
        var reason = await Attack.ScalarAsync<string>(platform, "select data->>'reason' from records where id = $1", foreign);
        var visible = await Attack.VisibleToCustomerServiceAsync(platform, "return_request", "cs01", "cs_east");
        foreach (var url in new[]
        {
            $"{Attack.App}/reports/return_reasons/drill?point.reason={reason}",
            $"{Records}/return_request/records?drill=return_reasons&point.reason={reason}",
        })
        {
            var (ids, total) = await Attack.AllPagesAsync(cs01, url);
            Assert.DoesNotContain(foreign, ids);
            Assert.All(ids, id => Assert.Contains(id, visible));
            Assert.Equal(ids.Count, total);
        }
    }

    [Fact]
    public async Task ReturnReasons_CountExactlyTheReturnsTheCallerMayRead_InDataDashboardAndExport()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var visible = await Attack.VisibleToCustomerServiceAsync(platform, "return_request", "cs01", "cs_east");
        var all = await platform.CountAsync("select count(*) from records where app_key = 'after_sales' and entity_key = 'return_request'");
        Assert.True(visible.Count < all, "cs01 must not see every return for this test to mean anything");

        var data = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Attack.App}/reports/return_reasons/data"), HttpStatusCode.OK);
        Assert.Equal(visible.Count, data["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()));

        var dashboard = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Attack.App}/dashboards/after_sales_overview/data"), HttpStatusCode.OK);
        var widget = dashboard["widgets"]!.AsArray().Single(w => w!["report"]!.GetValue<string>() == "return_reasons")!;
        Assert.Equal(visible.Count, widget["data"]!["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()));

        var (_, rows) = ExportFiles.Csv(await ExportFiles.DownloadAsync(
            cs01, $"{Attack.App}/reports/return_reasons/export?format=csv", "text/csv; charset=utf-8", "退换货原因分布.csv"));
        Assert.Equal(visible.Count, rows.Sum(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ForeignFlowInstance_Is404LikeARandomId_AndACommentWritesNothing()
    {
        // Found by this suite: any signed-in user could read any instance's history (comments, changed values) and comment on it.
        using var cs01 = await platform.ClientForAsync("cs01");
        var foreign = await ForeignReturnAsync();
        var instance = (await Attack.ScalarAsync<Guid>(platform, "select id from flow_instances where record_id = $1 order by started_at limit 1", foreign)).ToString();
        var random = Guid.CreateVersion7().ToString();
        var history = await platform.CountAsync("select count(*) from flow_history where instance_id = $1", Guid.Parse(instance));

        Assert.Equal(
            await Attack.RefusalAsync(await cs01.GetAsync($"/api/flows/instances/{random}"), random),
            await Attack.RefusalAsync(await cs01.GetAsync($"/api/flows/instances/{instance}"), instance));
        var comment = new { action = "comment", comment = "我看得到你" };
        var probe = await Attack.RefusalAsync(await cs01.PostAsJsonAsync($"/api/flows/instances/{instance}/actions", comment), instance);
        Assert.Equal(HttpStatusCode.NotFound, probe.Status);
        Assert.Equal(await Attack.RefusalAsync(await cs01.PostAsJsonAsync($"/api/flows/instances/{random}/actions", comment), random), probe);
        Assert.Equal(history, await platform.CountAsync("select count(*) from flow_history where instance_id = $1", Guid.Parse(instance)));

        // The department that owns it still reads it.
        using var cs02 = await platform.ClientForAsync("cs02");
        Assert.Equal(HttpStatusCode.OK, (await cs02.GetAsync($"/api/flows/instances/{instance}")).StatusCode);
    }

    [Fact]
    public async Task TaskOfAnotherUserOrRole_Is403_AndTheTaskStaysOpen()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var tasks = await Attack.ColumnAsync<Guid>(platform, """
            (select id from flow_tasks where status = 'open' and assignee is not null and assignee <> 'cs01' order by id limit 1)
            union all
            (select id from flow_tasks where status = 'open' and assignee is null and role = 'warehouse' order by id limit 1)
            """);
        Assert.Equal(2, tasks.Count);
        foreach (var task in tasks)
        {
            var row = await Attack.ScalarAsync<string>(platform, "select concat_ws('|', status, assignee, closed_by, (select count(*) from flow_history h where h.instance_id = t.instance_id)) from flow_tasks t where id = $1", task);
            foreach (var action in new object[] { new { action = "approve" }, new { action = "reject", comment = "x" }, new { action = "transfer", to = "cs01" } })
            {
                var response = await cs01.PostAsJsonAsync($"/api/tasks/{task}/actions", action);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            Assert.Equal(row, await Attack.ScalarAsync<string>(platform, "select concat_ws('|', status, assignee, closed_by, (select count(*) from flow_history h where h.instance_id = t.instance_id)) from flow_tasks t where id = $1", task));
        }
    }

    [Fact]
    public async Task RuleFiringLogAndDryRun_Are403_ForAnyoneButDesigners()
    {
        // Found by this suite: the log listed record ids and the values rules wrote, for every record, to any signed-in
        // user; and a dry run of auto_dispatch listed every engineer's name and phone to the external sp01 ("own" on engineers).
        var sample = new { data = new { region = "east", required_skill = "installation", type = "install" } };
        var firings = await platform.CountAsync("select count(*) from rule_firings");
        foreach (var user in new[] { "cs01", "eng01", "sp01" })
        {
            using var client = await platform.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{Attack.App}/rules/firings")).StatusCode);
            var dryRun = await client.PostAsJsonAsync($"{Attack.App}/rules/auto_dispatch/dry-run", sample);
            Assert.Equal(HttpStatusCode.Forbidden, dryRun.StatusCode);
            Assert.DoesNotContain("open_jobs", await dryRun.Content.ReadAsStringAsync());
        }

        using var analyst = await platform.ClientForAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"{Attack.App}/rules/firings?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"{Attack.App}/rules/auto_dispatch/dry-run", sample)).StatusCode);
        Assert.Equal(firings, await platform.CountAsync("select count(*) from rule_firings"));
    }

    [Fact]
    public async Task Import_Is403_ForRolesThatMayNotCreate_OrForColumnsTheyMayNotWrite_AndWritesNothing()
    {
        // Found by this suite: the import created records of any entity for any signed-in user, past entity permissions.
        static MultipartFormDataContent Csv(string text)
        {
            var content = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(file, "file", "rows.csv");
            return content;
        }

        var records = await platform.CountAsync("select count(*) from records");
        using var sp01 = await platform.ClientForAsync("sp01");
        Assert.Equal(HttpStatusCode.Forbidden, (await sp01.PostAsync($"{Records}/service_request/import", Csv("服务类型,联系人,手机号,问题描述,区域,上门地址\r\n维修,黑客,13800009999,x,华东,某地\r\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sp01.GetAsync($"{Records}/service_request/import/template")).StatusCode);
        using var wh01 = await platform.ClientForAsync("wh01");
        Assert.Equal(HttpStatusCode.Forbidden, (await wh01.PostAsync($"{Records}/product/import", Csv("SKU,名称,品类,价格\r\nHACK-1,黑客冰箱,制冷,1\r\n"))).StatusCode);

        using var cs01 = await platform.ClientForAsync("cs01");
        var refused = await cs01.PostAsync($"{Attack.LabApi}/entities/case/import", Csv("标题,等级\r\n导入,9\r\n"));
        var problem = await ApiAssert.JsonAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(["grade"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(records, await platform.CountAsync("select count(*) from records"));

        // The template offers only what the caller may fill: no hidden or read-only column.
        var template = await cs01.GetStringAsync($"{Attack.LabApi}/entities/case/import/template");
        Assert.Contains("标题", template);
        Assert.DoesNotContain("内部备注", template);
        Assert.DoesNotContain("等级", template);
        var allowed = await ApiAssert.JsonAsync(await cs01.PostAsync($"{Attack.LabApi}/entities/case/import", Csv("标题,分数\r\n导入测试,1\r\n")), HttpStatusCode.OK);
        Assert.Equal(1, allowed["imported"]!.GetValue<int>());
    }

    [Fact]
    public async Task File_OfARecordTheCallerCannotRead_Is404LikeARandomId_AndCannotBeAttachedToGainAccess()
    {
        // Found by this suite: any signed-in user with a file id could download the file, whatever record held it.
        using var cs02 = await platform.ClientForAsync("cs02");
        var upload = new MultipartFormDataContent();
        var bytes = new ByteArrayContent(Png);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        upload.Add(bytes, "file", "证据.png");
        upload.Add(new StringContent(Attack.Lab), "app");
        upload.Add(new StringContent("case"), "entity");
        upload.Add(new StringContent("attachment"), "field");
        var file = (await ApiAssert.JsonAsync(await cs02.PostAsync("/api/files", upload), HttpStatusCode.Created))["fileId"]!.GetValue<string>();
        var held = await ApiAssert.JsonAsync(await cs02.PostAsJsonAsync($"{Attack.LabApi}/entities/case/records", Attack.Body(new JsonObject
        {
            ["title"] = "cs02 的案件", ["attachment"] = new JsonArray(file),
        })), HttpStatusCode.Created);

        using var cs01 = await platform.ClientForAsync("cs01");
        var random = "AAAAAAAAAAAAAAAAAAAAAA";
        var probe = await Attack.RefusalAsync(await cs01.GetAsync($"/api/files/{file}"), file);
        Assert.Equal(HttpStatusCode.NotFound, probe.Status);
        Assert.Equal(await Attack.RefusalAsync(await cs01.GetAsync($"/api/files/{random}"), random), probe);

        // Attaching the known id to one's own record is refused, and does not open the file.
        var cases = await platform.CountAsync("select count(*) from records where app_key = $1", Attack.Lab);
        var attach = await cs01.PostAsJsonAsync($"{Attack.LabApi}/entities/case/records", Attack.Body(new JsonObject { ["title"] = "偷看", ["attachment"] = new JsonArray(file) }));
        Assert.Equal(["attachment"], await ApiAssert.InvalidFieldsAsync(attach));
        Assert.Equal(cases, await platform.CountAsync("select count(*) from records where app_key = $1", Attack.Lab));
        var own = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync($"{Attack.LabApi}/entities/case/records", Attack.Body(new JsonObject { ["title"] = "自己的" })), HttpStatusCode.Created);
        var patched = await Attack.SendAsync(cs01, HttpMethod.Patch, $"{Attack.LabApi}/entities/case/records/{own["id"]}", Attack.Body(new JsonObject { ["attachment"] = new JsonArray(file) }), own["version"]!.ToString());
        Assert.Equal(["attachment"], await ApiAssert.InvalidFieldsAsync(patched));
        Assert.Equal(HttpStatusCode.NotFound, (await cs01.GetAsync($"/api/files/{file}")).StatusCode);

        // The uploader, a supervisor (who reads every case) and an administrator still get it.
        foreach (var user in new[] { "cs02", "sup01", "admin" })
        {
            using var client = await platform.ClientForAsync(user);
            var served = await client.GetAsync($"/api/files/{file}");
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{user}: {(int)served.StatusCode}");
            Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
        }

        // A designer without a grant on the entity does not.
        using var analyst = await platform.ClientForAsync("analyst");
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/files/{file}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cs02.GetAsync($"{Attack.LabApi}/entities/case/records/{held["id"]}")).StatusCode);
    }

    [Fact]
    public async Task PublicFormUpload_IsReadByStaffWhoMayReadTheSubmittedRecord_AndByNoOneElse()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var links = await analyst.GetFromJsonAsync<JsonArray>($"{Attack.App}/public-forms");
        var token = links!.Single(l => l!["form"]!.GetValue<string>() == "return_form")!["token"]!.GetValue<string>();
        using var anonymous = platform.Anonymous();
        var upload = new MultipartFormDataContent();
        var bytes = new ByteArrayContent(Png);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        upload.Add(bytes, "file", "破损.png");
        upload.Add(new StringContent("images"), "field");
        var file = (await ApiAssert.JsonAsync(await anonymous.PostAsync($"/api/public/forms/{token}/files", upload), HttpStatusCode.Created))["fileId"]!.GetValue<string>();

        // Before any record holds it, no member of staff reaches it.
        using var sup01 = await platform.ClientForAsync("sup01");
        Assert.Equal(HttpStatusCode.NotFound, (await sup01.GetAsync($"/api/files/{file}")).StatusCode);

        var submitted = await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync($"/api/public/forms/{token}", Attack.Body(new JsonObject
        {
            ["order_no"] = await Attack.SingleItemOrderAsync(platform), ["customer_name"] = "公开上传", ["phone"] = "13800003131", ["kind"] = "return",
            ["reason"] = "damaged", ["images"] = new JsonArray(file), ["quantity"] = 1,
        })), HttpStatusCode.Created);
        Assert.NotNull(submitted["trackingNo"]);
        Assert.Equal(HttpStatusCode.OK, (await sup01.GetAsync($"/api/files/{file}")).StatusCode);
        using var eng01 = await platform.ClientForAsync("eng01");
        Assert.Equal(HttpStatusCode.NotFound, (await eng01.GetAsync($"/api/files/{file}")).StatusCode);
    }
}
