using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// Grouped loads before task actions (a two-step approval flow on customers). The first load is held by a test transaction
/// that locks <c>flow_tasks</c>, so the loads of the approvals sent meanwhile queue and go together in one round trip.
/// </summary>
[Collection("platform")]
public sealed class FlowReadGroupingTests(PlatformFixture platform)
{
    private const string Flow = "t_read_group";

    private FlowReadQueue Reads => platform.Factory.Services.GetRequiredService<FlowReadQueue>();

    [Fact]
    public async Task LoadManyByTask_ReturnsEachTasksInstanceInOrder_AndNullForAnUnknownTask()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "rg", "合并读取" + TwoApprovalFlowKit.Mark(), 3);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);
        var store = platform.Factory.Services.GetRequiredService<FlowStore>();

        var loaded = await store.LoadManyByTaskAsync([tasks[2], Guid.NewGuid(), tasks[0], tasks[1]], CancellationToken.None);

        Assert.Equal(4, loaded.Length);
        Assert.Null(loaded[1]);
        Assert.Equal([instances[2], instances[0], instances[1]], new[] { loaded[0], loaded[2], loaded[3] }.Select(s => s!.Instance.Id));
        foreach (var (snapshot, task) in new[] { (loaded[0], tasks[2]), (loaded[2], tasks[0]), (loaded[3], tasks[1]) })
        {
            var alone = await store.LoadByTaskAsync(task, CancellationToken.None);
            Assert.Equal(alone!.RowVersion, snapshot!.RowVersion);
            Assert.Equal(alone.Record!.Id, snapshot.Record!.Id);
            Assert.Equal(alone.Record.Data.ToJsonString(), snapshot.Record.Data.ToJsonString());
            Assert.NotNull(snapshot.Instance.FindTask(task));
        }
    }

    [Fact]
    public async Task Approve_LoadsQueuedWhileALoadIsInFlightGoTogether_AndTwoApprovalsOfOneTaskStillHaveOneWinner()
    {
        using var cs = await platform.ClientForAsync("cs01");
        using var again = await platform.ClientForAsync("cs01");
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "rg", "合并读取" + TwoApprovalFlowKit.Mark(), 5);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);
        var (before, loadsBefore) = Reads.Combined;

        // Read, not decided on this node's copies (FlowInstanceCache): the loads are what this test groups.
        var cache = platform.Factory.Services.GetRequiredService<FlowInstanceCache>();
        foreach (var instance in instances)
        {
            cache.Forget(instance);
        }

        Task<HttpResponseMessage> leader;
        Task<HttpResponseMessage[]> queued;
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var hold = await connection.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("lock table flow_tasks in access exclusive mode", connection, hold))
            {
                await cmd.ExecuteNonQueryAsync();
            }

            leader = TwoApprovalFlowKit.ApproveAsync(cs, tasks[0]);
            await TwoApprovalFlowKit.WaitForAsync(() => Task.FromResult(Reads.Queued == 0 && LoadInFlight(connection)));
            queued = Task.WhenAll(TwoApprovalFlowKit.ApproveAsync(cs, tasks[1]), TwoApprovalFlowKit.ApproveAsync(again, tasks[1]), TwoApprovalFlowKit.ApproveAsync(cs, tasks[2]), TwoApprovalFlowKit.ApproveAsync(cs, tasks[3]), TwoApprovalFlowKit.ApproveAsync(cs, tasks[4]));
            await TwoApprovalFlowKit.WaitForAsync(() => Task.FromResult(Reads.Queued == 5));
            await hold.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await leader).StatusCode);
        var responses = await queued;
        var twice = new[] { responses[0], responses[1] };
        Assert.Single(twice, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, Assert.Single(twice, r => r.StatusCode != HttpStatusCode.OK).StatusCode);
        foreach (var response in responses[2..])
        {
            var outcome = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.Equal(["b"], outcome["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        }

        var (after, loadsAfter) = Reads.Combined;
        Assert.True(after > before, "the queued loads went as one batch");
        Assert.True(loadsAfter - loadsBefore >= 5);
        for (var i = 0; i < instances.Length; i++)
        {
            Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'done' and action = 'approve'", tasks[i]));
            Assert.Equal(1, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and task_id = $2 and action = 'approve'", instances[i], tasks[i]));
            Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where instance_id = $1 and step = 'b' and status = 'open'", instances[i]));
            Assert.Equal(2, await platform.CountAsync("select row_version from flow_instances where id = $1", instances[i]));
        }
    }

    // The held load waits on the test's lock (a lock request not granted, on flow_tasks).
    private static bool LoadInFlight(NpgsqlConnection holder)
    {
        using var cmd = new NpgsqlCommand("select count(*) from pg_locks where not granted and relation = 'flow_tasks'::regclass", holder);
        return (long)cmd.ExecuteScalar()! > 0;
    }
}
