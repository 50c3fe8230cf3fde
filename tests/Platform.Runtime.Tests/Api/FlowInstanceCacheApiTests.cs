using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// Task actions decided on this node's copy of an instance (<see cref="FlowInstanceCache"/>), through HTTP on real PostgreSQL:
/// the copy saves the read, and whatever else wrote the instance or its record meanwhile (another node, a direct write, an
/// aggregate's recount) refuses the guarded write, so the action is decided again on what is stored.
/// </summary>
[Collection("platform")]
public sealed class FlowInstanceCacheApiTests(PlatformFixture platform)
{
    private const string Customers = "/api/apps/after_sales/entities/customer/records";
    private const string Flow = "t_cached_gateway";

    private FlowInstanceCache Cache => platform.Factory.Services.GetRequiredService<FlowInstanceCache>();

    [Fact]
    public async Task Approve_IsDecidedOnThisNodesCopy_WhenThisNodeWroteTheInstanceLast()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var (instance, record) = await StartAsync(cs, "regular");
        var task = await OpenTaskAsync(instance, "a");
        var (hits, _) = Cache.Lookups;

        var first = await ApiAssert.JsonAsync(await ApproveAsync(cs, task), HttpStatusCode.OK);
        Assert.Equal(["plain_check"], Steps(first));
        var second = await ApiAssert.JsonAsync(await ApproveAsync(cs, await OpenTaskAsync(instance, "plain_check")), HttpStatusCode.OK);

        Assert.Equal("completed", second["status"]!.GetValue<string>());
        Assert.Equal(hits + 2, Cache.Lookups.Hits);
        Assert.Equal(3, await platform.ScalarAsync<int>("select row_version from flow_instances where id = $1", instance));
        Assert.Equal(2, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and action = 'approve'", instance));
        Assert.Equal(0, await platform.CountAsync("select count(*) from flow_tasks where instance_id = $1 and status = 'open'", instance));
        Assert.Equal(1, await platform.ScalarAsync<int>("select version from records where id = $1", record));
    }

    [Fact]
    public async Task Approve_TakesTheBranchTheStoredRecordGives_WhenTheRecordWasWrittenBehindThisNodesCopy()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var (instance, record) = await StartAsync(cs, "regular");
        var task = await OpenTaskAsync(instance, "a");
        Assert.NotNull(Cache.FindByTask(task));

        // Written without the version moving, as an aggregate's recount writes a record: only the row's xmin tells.
        Assert.Equal(1, await platform.CountAsync("with u as (update records set data = jsonb_set(data, '{tier}', '\"vip\"') where id = $1 returning 1) select count(*) from u", record));

        var outcome = await ApiAssert.JsonAsync(await ApproveAsync(cs, task), HttpStatusCode.OK);

        Assert.Equal(["vip_check"], Steps(outcome));
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and action = 'approve'", instance));
        Assert.Equal(2, await platform.ScalarAsync<int>("select row_version from flow_instances where id = $1", instance));
    }

    [Fact]
    public async Task Approve_IsAnsweredOnWhatIsStored_WhenAnotherNodeTransferredTheTaskAfterThisNodeWroteIt()
    {
        using var cs = await platform.ClientForAsync("cs01");
        using var sup = await platform.ClientForAsync("sup01");
        var (instance, _) = await StartAsync(cs, "regular");
        var task = await OpenTaskAsync(instance, "a");
        Assert.NotNull(Cache.FindByTask(task));

        await TransferElsewhereAsync(instance, task);

        // cs01's copy says yes: its guarded write is refused, the read says no.
        var refused = await ApproveAsync(cs, task);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and action = 'approve'", instance));

        // sup01 is allowed by what is stored.
        var outcome = await ApiAssert.JsonAsync(await ApproveAsync(sup, task), HttpStatusCode.OK);
        Assert.Equal(["plain_check"], Steps(outcome));
        Assert.Equal("sup01", await platform.ScalarAsync<string>("select closed_by from flow_tasks where id = $1", task));
    }

    [Fact]
    public async Task Approve_ByTheNewAssignee_IsDecidedOnARead_WhenThisNodesCopySaysTheTaskIsSomeoneElses()
    {
        using var cs = await platform.ClientForAsync("cs01");
        using var sup = await platform.ClientForAsync("sup01");
        var (instance, _) = await StartAsync(cs, "regular");
        var task = await OpenTaskAsync(instance, "a");
        Assert.Equal("cs01", Cache.FindByTask(task)!.Instance.FindTask(task)!.Assignee);
        await TransferElsewhereAsync(instance, task);

        var outcome = await ApiAssert.JsonAsync(await ApproveAsync(sup, task), HttpStatusCode.OK);

        Assert.Equal(["plain_check"], Steps(outcome));
        var late = await ApproveAsync(cs, task);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and action = 'approve'", instance));
    }

    [Fact]
    public async Task Approve_IsDecidedOnARead_AndSeesTheRecount_WhenTheRecordHoldsAnAggregateFieldTheDatabaseComputes()
    {
        using var admin = await platform.ClientForAsync("admin");
        using var cs = await platform.ClientForAsync("cs01");
        var mark = TwoApprovalFlowKit.Mark();
        var phone = $"137{Random.Shared.Next(0, 99_999_999):D8}";
        var definition = JsonNode.Parse($$"""
            { "key": "t_cached_engineer", "name": "缓存与汇总", "entity": "engineer", "startWhen": "phone == '{{phone}}'",
              "steps": [ { "key": "start", "type": "start" }, { "key": "a", "type": "approval", "assignees": { "users": ["cs01"] } },
                { "key": "gw", "type": "gateway" },
                { "key": "busy_check", "type": "approval", "assignees": { "users": ["cs01"] } },
                { "key": "free_check", "type": "approval", "assignees": { "users": ["cs01"] } }, { "key": "done", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "a" }, { "from": "a", "to": "gw" },
                { "from": "gw", "to": "busy_check", "condition": "open_jobs > 0" }, { "from": "gw", "to": "free_check", "isDefault": true },
                { "from": "busy_check", "to": "done" }, { "from": "free_check", "to": "done" } ] }
            """);
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/flows/t_cached_engineer", definition), HttpStatusCode.OK);
        var engineer = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/after_sales/entities/engineer/records", new
        {
            // Not active: no other test's dispatch picks this engineer.
            data = new { name = "汇总工程师" + mark, phone, region = "east", skills = new[] { "basic_repair" }, active = false },
        }), HttpStatusCode.Created);
        var engineerId = Guid.Parse(engineer["id"]!.GetValue<string>());
        var instance = Guid.Parse(engineer["flow"]!["instanceId"]!.GetValue<string>());
        var task = await OpenTaskAsync(instance, "a");

        // The database recounts open_jobs as it writes the engineer: this node keeps no copy of it to decide on.
        Assert.Null(Cache.FindByTask(task));

        // A service request dispatched to the engineer (written as the dispatch step writes it): the database's recount rewrites
        // the engineer's row, its version unchanged.
        var version = await platform.ScalarAsync<int>("select version from records where id = $1", engineerId);
        var request = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync("/api/apps/after_sales/entities/service_request/records", new
        {
            data = new { type = "repair", customer_name = "汇总客户", phone = "13900000000", description = "不制冷", region = "east", address = "汇总路 1 号" },
        }), HttpStatusCode.Created);
        Assert.Equal(1, await platform.CountAsync(
            "with u as (update records set data = data || jsonb_build_object('engineer', $2::text) where id = $1 returning 1) select count(*) from u",
            Guid.Parse(request["id"]!.GetValue<string>()), engineerId.ToString()));
        Assert.Equal(1, await platform.ScalarAsync<int>("select (data->>'open_jobs')::int from records where id = $1", engineerId));
        Assert.Equal(version, await platform.ScalarAsync<int>("select version from records where id = $1", engineerId));

        var (hits, _) = Cache.Lookups;
        var outcome = await ApiAssert.JsonAsync(await ApproveAsync(cs, task), HttpStatusCode.OK);

        Assert.Equal(["busy_check"], Steps(outcome));
        Assert.Equal(hits, Cache.Lookups.Hits);

        // The approval left the engineer as it was read, so the copy kept now is exact (and guarded by that read's xmin).
        var kept = Cache.FindByTask(await OpenTaskAsync(instance, "busy_check"))!;
        Assert.Equal(1, kept.Record!.Data["open_jobs"]!.GetValue<decimal>());
        Assert.Equal(await platform.ScalarAsync<long>("select xmin::text::bigint from records where id = $1", engineerId), kept.Record.Xmin);
    }

    /// <summary>What a transfer of <paramref name="task"/> to sup01 on another node leaves in the database.</summary>
    private async Task TransferElsewhereAsync(Guid instance, Guid task) =>
        Assert.Equal(1, await platform.CountAsync("""
            with u as (update flow_instances set state = jsonb_set(state, '{tasks,0,assignee}', '"sup01"'), row_version = row_version + 1 where id = $1 returning 1),
            t as (update flow_tasks set assignee = 'sup01' where id = $2)
            select count(*) from u
            """, instance, task));

    private async Task<(Guid Instance, Guid Record)> StartAsync(HttpClient client, string tier)
    {
        var mark = TwoApprovalFlowKit.Mark();
        using (var admin = await platform.ClientForAsync("admin"))
        {
            var definition = JsonNode.Parse($$"""
                { "key": "{{Flow}}", "name": "缓存分支", "entity": "customer", "startWhen": "address == 'fc-cache'",
                  "steps": [ { "key": "start", "type": "start" }, { "key": "a", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "gw", "type": "gateway" },
                    { "key": "vip_check", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "plain_check", "type": "approval", "assignees": { "users": ["cs01"] } }, { "key": "done", "type": "end" } ],
                  "transitions": [ { "from": "start", "to": "a" }, { "from": "a", "to": "gw" },
                    { "from": "gw", "to": "vip_check", "condition": "tier == 'vip'" }, { "from": "gw", "to": "plain_check", "isDefault": true },
                    { "from": "vip_check", "to": "done" }, { "from": "plain_check", "to": "done" } ] }
                """);
            await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"/api/apps/after_sales/flows/{Flow}", definition), HttpStatusCode.OK);
        }

        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync(Customers, new
        {
            data = new { name = "缓存" + mark, phone = $"136{Random.Shared.Next(0, 99_999_999):D8}", tier, region = "east", address = "fc-cache" },
        }), HttpStatusCode.Created);
        return (Guid.Parse(created["flow"]!["instanceId"]!.GetValue<string>()), Guid.Parse(created["id"]!.GetValue<string>()));
    }

    private Task<Guid> OpenTaskAsync(Guid instance, string step) =>
        platform.ScalarAsync<Guid>("select id from flow_tasks where instance_id = $1 and step = $2 and status = 'open'", instance, step);

    private static Task<HttpResponseMessage> ApproveAsync(HttpClient client, Guid task) =>
        client.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve" });

    private static IEnumerable<string> Steps(JsonObject outcome) => outcome["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>());
}
