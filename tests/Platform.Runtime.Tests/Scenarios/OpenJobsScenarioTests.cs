using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// engineer.open_jobs is an aggregate field (the engineer's service requests not closed nor rejected), computed from the data
/// by the database in every writing transaction: a dispatch withdrawn and made again, a job returned to dispatch and
/// re-dispatched to someone else, and the close each leave exactly the right counts, where the old +1/-1 rules counted a
/// re-dispatch twice. A client cannot write it, lists sort and filter by it, and two concurrent jobs for one engineer
/// both count.
/// </summary>
[Collection("platform")]
public sealed class OpenJobsScenarioTests(PlatformFixture platform)
{
    private readonly AfterSalesScenario scenario = new(platform);

    private static async Task<JsonObject> EngineerOfAsync(HttpClient client, string userName) =>
        (await ListAsync(client, "engineer", $"filter=user_name:eq:{userName}"))["items"]!.AsArray().Single()!.AsObject();

    private static async Task<decimal> OpenJobsAsync(HttpClient client, JsonObject engineer) =>
        (await GetAsync(client, "engineer", Id(engineer)))["data"]!["open_jobs"]!.GetValue<decimal>();

    private async Task<long> CountedAsync(JsonObject engineer) => await platform.CountAsync(
        "select count(*) from records where app_key = 'after_sales' and entity_key = 'service_request' and data->>'engineer' = $1 and data->>'status' not in ('closed', 'rejected')",
        Id(engineer));

    [Fact]
    public async Task OpenJobs_StayExact_WhenADispatchIsWithdrawnReturnedRedispatchedAndClosed()
    {
        using var cs = await scenario.AsAsync("cs01");
        var first = await EngineerOfAsync(cs, "eng17");
        var second = await EngineerOfAsync(cs, "eng18");
        var (firstBefore, secondBefore) = (await OpenJobsAsync(cs, first), await OpenJobsAsync(cs, second));
        Assert.Equal(await CountedAsync(first), firstBefore);

        // Nobody in the west does commercial refrigeration: auto_dispatch leaves the dispatch to customer service.
        var ticket = await CreateTicketAsync(cs, "repair", "west", "commercial_refrigeration", NewPhone());
        var id = Id(ticket);
        Assert.Equal(["dispatch"], Active(await ActAsync(cs, id, "accept")));
        var dispatchTo = (JsonObject engineer) => new JsonObject { ["engineer"] = Id(engineer), ["engineer_user"] = Text(engineer, "user_name") };

        Assert.Equal(["execute"], Active(await ActAsync(cs, id, "dispatch", comment: "派给 eng17", fields: dispatchTo(first))));
        Assert.Equal(firstBefore + 1, await OpenJobsAsync(cs, first));

        // The dispatcher takes the decision back and makes it again: still one job, not two.
        var withdrawn = await ApiAssert.JsonAsync(
            await cs.PostAsJsonAsync($"/api/flows/instances/{ticket["flow"]!["instanceId"]}/actions", new { action = "withdraw", comment = "派错了时间" }), HttpStatusCode.OK);
        Assert.Equal(["dispatch"], withdrawn["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(firstBefore + 1, await OpenJobsAsync(cs, first));
        Assert.Equal(["execute"], Active(await ActAsync(cs, id, "dispatch", comment: "重新派给 eng17", fields: dispatchTo(first))));
        Assert.Equal(firstBefore + 1, await OpenJobsAsync(cs, first));

        // The engineer returns the job to dispatch; it goes to another engineer: the count moves with the reference.
        using var eng17 = await scenario.AsAsync("eng17");
        var task = await FindTaskAsync(eng17, id, "execute");
        await ApiAssert.JsonAsync(
            await eng17.PostAsJsonAsync($"/api/tasks/{task!["id"]}/actions", new { action = "return", to = "dispatch", comment = "缺少商用制冷资质" }), HttpStatusCode.OK);
        Assert.Equal(["dispatch"], Active(await GetAsync(cs, "service_request", id)));
        Assert.Equal(firstBefore + 1, await OpenJobsAsync(cs, first));
        Assert.Equal(["execute"], Active(await ActAsync(cs, id, "dispatch", comment: "改派 eng18", fields: dispatchTo(second))));
        Assert.Equal(firstBefore, await OpenJobsAsync(cs, first));
        Assert.Equal(secondBefore + 1, await OpenJobsAsync(cs, second));

        // Lists sort and filter by the aggregate like any number.
        var busiest = (await ListAsync(cs, "engineer", "pageSize=200&sort=-open_jobs"))["items"]!.AsArray().Select(e => e!["data"]!["open_jobs"]!.GetValue<decimal>()).ToList();
        Assert.Equal(busiest.OrderDescending(), busiest);
        Assert.Contains((await ListAsync(cs, "engineer", $"pageSize=200&filter=open_jobs:ge:{secondBefore + 1}"))["items"]!.AsArray(), e => Id(e!.AsObject()) == Id(second));

        // The supervisor edits the engineer with a made-up count: the edit is kept, the count is not.
        using var sup = await scenario.AsAsync("sup01");
        var stored = await GetAsync(sup, "engineer", Id(second));
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"{Records}/engineer/records/{Id(second)}")
        {
            Content = JsonContent.Create(new { data = new { phone = Text(stored, "phone"), open_jobs = 99 } }),
        };
        patch.Headers.TryAddWithoutValidation("If-Match", stored["version"]!.ToString());
        var patched = await ApiAssert.JsonAsync(await sup.SendAsync(patch), HttpStatusCode.OK);
        Assert.Equal(secondBefore + 1, patched["data"]!["open_jobs"]!.GetValue<decimal>());

        using var eng18 = await scenario.AsAsync("eng18");
        Assert.Equal(["follow_up"], Active(await ActAsync(eng18, id, "execute", comment: "已修复")));
        Assert.Equal(secondBefore + 1, await OpenJobsAsync(cs, second));
        await ActAsync(cs, id, "follow_up", comment: "电话回访");
        Assert.Equal("closed", Text(await GetAsync(cs, "service_request", id), "status"));
        Assert.Equal(secondBefore, await OpenJobsAsync(cs, second));
        Assert.Equal(firstBefore, await OpenJobsAsync(cs, first));
        Assert.Equal(await CountedAsync(second), await OpenJobsAsync(cs, second));
    }

    [Fact]
    public async Task OpenJobs_CountBothJobs_WhenTwoTransactionsAddOneToTheSameEngineerAtOnce()
    {
        using var cs = await scenario.AsAsync("cs01");
        var engineer = await EngineerOfAsync(cs, "eng19");
        var before = await OpenJobsAsync(cs, engineer);

        // Two writers, the second blocked on the engineer row until the first commits: its recount must see the first's job.
        await using var a = new NpgsqlConnection(platform.ConnectionString);
        await using var b = new NpgsqlConnection(platform.ConnectionString);
        await a.OpenAsync();
        await b.OpenAsync();
        await using var ta = await a.BeginTransactionAsync();
        await using var tb = await b.BeginTransactionAsync();
        const string Insert = """
            insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
            values (gen_random_uuid(), 'after_sales', 'service_request', jsonb_build_object('engineer', $1::text, 'status', 'dispatched'), 1, 1, now(), 'test', now(), 'test')
            """;
        await using (var insert = new NpgsqlCommand(Insert, a, ta))
        {
            insert.Parameters.AddWithValue(Id(engineer));
            await insert.ExecuteNonQueryAsync();
        }

        var second = Task.Run(async () =>
        {
            await using var insert = new NpgsqlCommand(Insert, b, tb);
            insert.Parameters.AddWithValue(Id(engineer));
            await insert.ExecuteNonQueryAsync();
        });
        await Task.Delay(300);
        Assert.False(second.IsCompleted);
        await ta.CommitAsync();
        await second;
        await tb.CommitAsync();

        Assert.Equal(before + 2, await OpenJobsAsync(cs, engineer));
        Assert.Equal(await CountedAsync(engineer), before + 2);
        await platform.CountAsync(
            "with d as (delete from records where app_key = 'after_sales' and entity_key = 'service_request' and created_by = 'test' and data->>'engineer' = $1 returning 1) select count(*) from d",
            Id(engineer));
        Assert.Equal(before, await OpenJobsAsync(cs, engineer));
    }
}
