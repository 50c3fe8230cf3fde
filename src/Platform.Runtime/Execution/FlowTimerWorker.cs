using Npgsql;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution;

/// <summary>
/// Fires due timers. Each worker claims a batch of due rows with <c>FOR UPDATE SKIP LOCKED</c> (so nodes and
/// workers never take the same one), applies each in its own savepoint inside the claiming transaction, and
/// deletes it there: a crash before commit leaves the timer to fire again, a commit fires it exactly once.
/// Timers that fell due while the runtime was down fire on the first poll after start.
/// </summary>
public sealed class FlowTimerWorker(
    NpgsqlDataSource dataSource, FlowService flows, Platform.Runtime.Execution.Rules.RuleTimers ruleTimers, Reports.ReportSchedules reportSchedules, Readiness readiness, PlatformSettings settings, TimeProvider time, ILogger<FlowTimerWorker> logger) : BackgroundService
{
    private const int BatchSize = 50;

    private readonly string node = settings.NodeName ?? $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WhenReady.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested && !readiness.IsReady)
        {
            return;
        }

        var workers = Enumerable.Range(0, Math.Max(1, settings.TimerWorkers)).Select(i => RunAsync(i, stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>Claims and fires one batch of timers due by now (or by <paramref name="asOf"/>); returns how many it took.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct, DateTimeOffset? asOf = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var due = new List<FlowTimer>();
        var payloads = new Dictionary<Guid, string>();
        await using (var cmd = new NpgsqlCommand(
            "select id, instance_id, step, kind, due_at, payload::text from timers where due_at <= $1 order by due_at limit $2 for update skip locked", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = asOf ?? time.GetUtcNow() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add(new FlowTimer(reader.GetGuid(0), reader.IsDBNull(1) ? Guid.Empty : reader.GetGuid(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                    reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
                if (!reader.IsDBNull(5))
                {
                    payloads[reader.GetGuid(0)] = reader.GetString(5);
                }
            }
        }

        if (due.Count == 0)
        {
            return 0;
        }

        foreach (var timer in due)
        {
            await transaction.SaveAsync("timer", ct);
            try
            {
                if (timer.Kind.StartsWith("rule-", StringComparison.Ordinal))
                {
                    var payload = payloads.TryGetValue(timer.Id, out var json) ? System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject : null;
                    await ruleTimers.FireAsync(timer, payload ?? [], node, connection, transaction, ct);
                }
                else if (timer.Kind == Reports.ReportSchedules.Kind)
                {
                    var payload = payloads.TryGetValue(timer.Id, out var json) ? System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject : null;
                    await reportSchedules.FireAsync(timer, payload ?? [], node, connection, transaction, ct);
                }
                else
                {
                    await flows.FireTimerAsync(timer, node, connection, transaction, ct);
                }
                await transaction.ReleaseAsync("timer", ct);
            }
            catch (Exception e) when (e is PostgresException or InvalidOperationException or System.Text.Json.JsonException)
            {
                await transaction.RollbackAsync("timer", ct);
                logger.LogWarning(e, "Timer {Timer} ({Kind} of {Step}) failed; retrying later", timer.Id, timer.Kind, timer.Step);
                await using var later = new NpgsqlCommand(
                    "update timers set attempts = attempts + 1, last_error = $2, due_at = $3 + make_interval(secs => least(300, power(2, attempts + 1))) where id = $1",
                    connection, transaction);
                later.Parameters.Add(new NpgsqlParameter { Value = timer.Id });
                later.Parameters.Add(new NpgsqlParameter { Value = e.Message });
                later.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
                await later.ExecuteNonQueryAsync(ct);
            }
        }

        await transaction.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>
    /// Polls until the node stops. Nothing ends the loop but the stop: a database outage (or any other failure) is logged
    /// and waited out with <see cref="OutageBackoff"/>, and the timers that fell due meanwhile fire on the first good poll.
    /// </summary>
    private async Task RunAsync(int worker, CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Max(10, settings.TimerPollMs));
        var backoff = new OutageBackoff(logger, $"Timer worker {worker}");
        while (!ct.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                var fired = await FireDueAsync(ct);
                backoff.Succeeded();
                if (fired == BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                wait = backoff.Failed(e);
            }

            try
            {
                await Task.Delay(wait, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
