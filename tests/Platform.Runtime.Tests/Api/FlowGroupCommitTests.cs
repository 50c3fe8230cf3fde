using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// Group commit of task actions (a two-step approval flow on customers, no rule on its steps). The writer's session is held on
/// an approval whose instance row a test transaction has locked; the other batches the queue may have in flight are sent
/// behind it (pipelined on the same session, so they wait too), and the approvals sent after that queue and go together as
/// one transaction when the lock is released.
/// </summary>
[Collection("platform")]
public sealed class FlowGroupCommitTests(PlatformFixture platform)
{
    private const string Flow = "t_group_commit";

    private FlowWriteQueue Queue => platform.Factory.Services.GetRequiredService<FlowWriteQueue>();

    [Fact]
    public async Task Approve_CommitsQueuedApprovalsInOneTransaction_EachWithItsHistoryTasksAndNotification_WhenAWriteIsInFlight()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var mark = TwoApprovalFlowKit.Mark();
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "gc", "群提交" + mark, 7);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);
        var (before, _) = Queue.Combined;

        var (leader, queued) = await WhileHeldAsync(cs, instances[0], tasks[0],
            () => Task.WhenAll(tasks[1..].Select(t => TwoApprovalFlowKit.ApproveAsync(cs, t))), 6);

        Assert.Equal(HttpStatusCode.OK, leader.StatusCode);
        foreach (var response in queued)
        {
            var outcome = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.Equal(["b"], outcome["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        }

        // One transaction for the queued six (instance rows, history, the tasks opened), another for the approval in flight.
        var batched = instances[1..];
        Assert.Equal(1, await platform.CountAsync("select count(distinct xmin::text) from flow_instances where id = any($1)", batched));
        Assert.Equal(1, await platform.CountAsync("select count(distinct xmin::text) from flow_history where instance_id = any($1) and action = 'approve'", batched));
        Assert.Equal(2, await platform.CountAsync("select count(distinct xmin::text) from flow_instances where id = any($1)", instances));
        Assert.True(Queue.Combined.Batches > before);
        for (var i = 0; i < instances.Length; i++)
        {
            await AssertApprovedOnceAsync(instances[i], tasks[i]);
        }

        // Each instance answers its own reads: state, tasks and history as a lone approval leaves them.
        var instance = (await cs.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{instances[3]}"))!;
        Assert.Equal("running", instance["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Approve_TwoPeopleApprovingOneTaskInOneBatch_OneWins_TheOtherGets409_AndNothingIsHalfWritten()
    {
        using var cs = await platform.ClientForAsync("cs01");
        using var again = await platform.ClientForAsync("cs01");
        var mark = TwoApprovalFlowKit.Mark();
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "gc", "群提交" + mark, 3);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);

        var (leader, queued) = await WhileHeldAsync(cs, instances[0], tasks[0],
            () => Task.WhenAll(TwoApprovalFlowKit.ApproveAsync(cs, tasks[1]), TwoApprovalFlowKit.ApproveAsync(again, tasks[1]), TwoApprovalFlowKit.ApproveAsync(cs, tasks[2])), 3);

        Assert.Equal(HttpStatusCode.OK, leader.StatusCode);
        var twice = new[] { queued[0], queued[1] };
        await ApiAssert.JsonAsync(Assert.Single(twice, r => r.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
        var loser = Assert.Single(twice, r => r.StatusCode != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, loser.StatusCode);
        Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);
        await ApiAssert.JsonAsync(queued[2], HttpStatusCode.OK);

        for (var i = 0; i < instances.Length; i++)
        {
            await AssertApprovedOnceAsync(instances[i], tasks[i]);
        }

        // The doubly approved instance looks exactly like one approved once: same row version, history and tasks as its neighbour.
        foreach (var sql in new[]
        {
            "select row_version from flow_instances where id = $1",
            "select count(*) from flow_history where instance_id = $1",
            "select count(*) from flow_tasks where instance_id = $1",
            "select count(*) from notifications where instance_id = $1",
        })
        {
            Assert.Equal(await platform.CountAsync(sql, instances[2]), await platform.CountAsync(sql, instances[1]));
        }
    }

    [Fact]
    public async Task Approve_AFailingApprovalInABatch_FailsAsItDoesAlone_AndItsNeighboursCommit()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var mark = TwoApprovalFlowKit.Mark();
        var boom = "boom " + mark;
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "gc", "群提交" + mark, 5);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);
        await ExecuteAsync($"""
            create function gc_boom_{mark}() returns trigger language plpgsql as $$
            begin
              if new.comment = '{boom}' then raise exception 'refused by the test trigger'; end if;
              return new;
            end $$;
            create trigger gc_boom_{mark} before insert on flow_history for each row execute function gc_boom_{mark}();
            """);
        try
        {
            var (leader, queued) = await WhileHeldAsync(cs, instances[0], tasks[0], () => Task.WhenAll(
                TwoApprovalFlowKit.ApproveAsync(cs, tasks[1]), TwoApprovalFlowKit.ApproveAsync(cs, tasks[2], boom), TwoApprovalFlowKit.ApproveAsync(cs, tasks[3])), 3);

            Assert.Equal(HttpStatusCode.OK, leader.StatusCode);
            await ApiAssert.JsonAsync(queued[0], HttpStatusCode.OK);
            await ApiAssert.JsonAsync(queued[2], HttpStatusCode.OK);
            Assert.NotEqual(HttpStatusCode.OK, queued[1].StatusCode);

            // Alone, the same approval fails the same way.
            var alone = await TwoApprovalFlowKit.ApproveAsync(cs, tasks[4], boom);
            Assert.Equal(alone.StatusCode, queued[1].StatusCode);

            foreach (var i in new[] { 0, 1, 3 })
            {
                await AssertApprovedOnceAsync(instances[i], tasks[i]);
            }

            foreach (var i in new[] { 2, 4 })
            {
                // Nothing of the failed approval: the instance at its first row version, the task open, one history entry (the start's).
                Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open'", tasks[i]));
                Assert.Equal(0, await platform.CountAsync("select count(*) from flow_tasks where instance_id = $1 and step = 'b'", instances[i]));
                Assert.Equal(0, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and action = 'approve'", instances[i]));
                Assert.Equal(0, await platform.CountAsync("select count(*) from flow_instances where id = $1 and state->'active' @> '[{\"step\": \"b\"}]'", instances[i]));
            }
        }
        finally
        {
            await ExecuteAsync($"drop trigger gc_boom_{mark} on flow_history; drop function gc_boom_{mark}();");
        }
    }

    [Fact]
    public async Task Approve_SendsTheNextBatchOnTheWritersOneSessionWhileOneRuns_AndEachCommitsInItsOwnTransaction_WhenTwoAreInFlight()
    {
        Assert.True(Queue.Writers >= 2, "the shipped setting pipelines two batches");
        using var cs = await platform.ClientForAsync("cs01");
        var mark = TwoApprovalFlowKit.Mark();
        var instances = await TwoApprovalFlowKit.InstancesAsync(platform, cs, Flow, "gc", "群提交" + mark, 1 + Queue.PipelineMin);
        var tasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, instances);

        Task<HttpResponseMessage>[] behind = [];
        var leader = await WhileHeldAsync(cs, instances[0], tasks[0], async () =>
        {
            behind = await SendBehindAsync(cs, tasks[1..]);

            // The second batch went out (nothing queued) on the same session, so it waits behind the held one instead of committing.
            Assert.Equal(1, await platform.CountAsync("select count(*) from pg_stat_activity where application_name = $1", FlowWriterDataSource.ApplicationName));
            await Task.Delay(300);
            Assert.False(behind.Any(t => t.IsCompleted), "a batch pipelined behind a waiting one cannot have committed");
            Assert.Equal(0, await platform.CountAsync("select count(*) from flow_history where instance_id = any($1) and action = 'approve'", instances[1..]));
        });

        Assert.Equal(HttpStatusCode.OK, leader.StatusCode);
        foreach (var response in await Task.WhenAll(behind))
        {
            await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        }

        Assert.Equal(1, await platform.CountAsync("select count(distinct xmin::text) from flow_instances where id = any($1)", instances[1..]));
        Assert.Equal(2, await platform.CountAsync("select count(distinct xmin::text) from flow_instances where id = any($1)", instances));
        for (var i = 0; i < instances.Length; i++)
        {
            await AssertApprovedOnceAsync(instances[i], tasks[i]);
        }
    }

    [Fact]
    public async Task WritersSession_CancelsAStatementOnTheServer_BeforeNpgsqlWouldGiveUpReadingIt()
    {
        var writer = platform.Factory.Services.GetRequiredService<FlowWriterDataSource>();
        await using var show = writer.CreateBatch();
        show.BatchCommands.Add(new NpgsqlBatchCommand("select current_setting('statement_timeout'), current_setting('plan_cache_mode')"));
        await using var reader = await show.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("10s", reader.GetString(0));
        Assert.Equal("force_generic_plan", reader.GetString(1));
    }

    [Fact]
    public async Task BatchStatement_PreparesOnTheServer_ForEveryCombinationOfPartsWithRows()
    {
        // A batch leaves out the parts it has no rows for, so each combination is its own statement text: every one must be
        // valid SQL, with its parameters numbered in order and the expected count last, not only those the other tests reach.
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var texts = new HashSet<string>();
        for (var parts = 0; parts < 64; parts++)
        {
            var sql = FlowBatchRows.SqlFor(parts);
            texts.Add(sql);
            await using var prepare = new NpgsqlCommand($"prepare batch_{parts} as {sql}", connection);
            await prepare.ExecuteNonQueryAsync();
            var types = await ScalarOnAsync<string[]>(connection, "select parameter_types::text[] from pg_prepared_statements where name = $1", $"batch_{parts}");
            Assert.Equal("bigint", types[^1]);
            Assert.Equal(types.Length - 1, Regex.Matches(sql, @"\$\d+::").Count);
            Assert.Contains("u as (update flow_instances", sql);
        }

        await using (var deallocate = new NpgsqlCommand("deallocate all", connection))
        {
            await deallocate.ExecuteNonQueryAsync();
        }

        // Bit 0 (the instance update) is always there: 32 distinct statements.
        Assert.Equal(32, texts.Count);
        Assert.DoesNotContain("changed as", FlowBatchRows.SqlFor(0b111011));
        Assert.Contains("changed as", FlowBatchRows.SqlFor(0b000100));
    }

    private static async Task<T> ScalarOnAsync<T>(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task AssertApprovedOnceAsync(Guid instance, Guid task)
    {
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'done' and action = 'approve' and closed_by = 'cs01'", task));
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_history where instance_id = $1 and task_id = $2 and action = 'approve'", instance, task));
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where instance_id = $1 and step = 'b' and status = 'open' and assignee = 'cs01'", instance));
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from notifications n join flow_tasks t on t.id = n.task_id where t.instance_id = $1 and t.step = 'b' and n.user_name = 'cs01'", instance));
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_instances where id = $1 and state->'active' @> '[{\"step\": \"b\"}]'", instance));
    }

    /// <summary>
    /// Holds the writer's session on <paramref name="task"/>'s approval (a test transaction holds its instance's row); fills the
    /// queue's other batches in flight with approvals of fresh instances (pipelined behind it, so they wait too); then sends
    /// <paramref name="queue"/>'s approvals, waits until <paramref name="count"/> of them are queued and lets the session go.
    /// </summary>
    private async Task<(HttpResponseMessage Leader, HttpResponseMessage[] Queued)> WhileHeldAsync(
        HttpClient client, Guid instance, Guid task, Func<Task<HttpResponseMessage[]>> queue, int count)
    {
        var fillers = await TwoApprovalFlowKit.InstancesAsync(platform, client, Flow, "gc", "群提交" + TwoApprovalFlowKit.Mark(), Queue.PipelineMin * (Queue.Writers - 1));
        var fillerTasks = await TwoApprovalFlowKit.OpenTasksAsync(platform, fillers);
        Task<HttpResponseMessage>[] filled = [];
        Task<HttpResponseMessage[]>? queued = null;
        var leader = await WhileHeldAsync(client, instance, task, async () =>
        {
            filled = await SendBehindAsync(client, fillerTasks);
            queued = queue();
            await TwoApprovalFlowKit.WaitForAsync(() => Task.FromResult(Queue.Queued == count));
        });

        foreach (var response in await Task.WhenAll(filled))
        {
            await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        }

        return (leader, await queued!);
    }

    /// <summary>
    /// Sends the approval of <paramref name="task"/> while a test transaction holds its instance's row, so the writer's session
    /// waits on it; runs <paramref name="meanwhile"/>, lets the session go and answers the approval.
    /// </summary>
    private async Task<HttpResponseMessage> WhileHeldAsync(HttpClient client, Guid instance, Guid task, Func<Task> meanwhile)
    {
        Task<HttpResponseMessage> leader;
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var hold = await connection.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("select 1 from flow_instances where id = $1 for update", connection, hold))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = instance });
                await cmd.ExecuteNonQueryAsync();
            }

            leader = TwoApprovalFlowKit.ApproveAsync(client, task);
            await TwoApprovalFlowKit.WaitForAsync(async () => await platform.CountAsync("select count(*) from pg_locks where not granted") > 0);
            await meanwhile();
            await hold.CommitAsync();
        }

        return await leader;
    }

    /// <summary>
    /// Sends the approvals of <paramref name="tasks"/> in groups while the writer's batches in flight wait: the first of a group
    /// queue, the last starts a further batch with all of them (a further batch starts only for <see cref="FlowWriteQueue.PipelineMin"/> waiting).
    /// </summary>
    private async Task<Task<HttpResponseMessage>[]> SendBehindAsync(HttpClient client, IReadOnlyList<Guid> tasks)
    {
        var group = Queue.PipelineMin;
        Assert.True(tasks.Count % group == 0, $"send whole groups of {group}");
        var sent = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i + group <= tasks.Count; i += group)
        {
            for (var j = 0; j < group; j++)
            {
                sent.Add(TwoApprovalFlowKit.ApproveAsync(client, tasks[i + j]));
                var queued = j + 1 < group ? j + 1 : 0;
                await TwoApprovalFlowKit.WaitForAsync(() => Task.FromResult(Queue.Queued == queued));
            }
        }

        return [.. sent];
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
