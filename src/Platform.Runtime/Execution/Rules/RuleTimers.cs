using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// The timers of rules, on the flow engine's timer rows (claimed with SKIP LOCKED, fired once): <c>rule-overdue</c>
/// fires <c>task.overdue</c> when the step is still open, <c>rule-schedule</c> fires a <c>schedule</c> rule and
/// sets its next occurrence in the same transaction.
/// </summary>
public sealed class RuleTimers(AppCatalog apps, FlowStore flows, RuleRunner rules, TimeProvider time)
{
    public const string Overdue = "rule-overdue";
    public const string Schedule = "rule-schedule";

    /// <summary>Fires one claimed rule timer inside the claiming transaction and deletes it there.</summary>
    public async Task FireAsync(FlowTimer timer, JsonObject payload, string node, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var app = await apps.GetAsync(payload["app"]?.GetValue<string>() ?? string.Empty, ct);
        var rule = app?.FindRule(payload["rule"]?.GetValue<string>() ?? string.Empty);
        if (app is not null && rule is { Enabled: true })
        {
            RuleEvent? e = null;
            if (timer.Kind == Overdue)
            {
                var snapshot = await flows.LoadAsync(timer.InstanceId, ct, connection, transaction);
                var open = snapshot is { Instance.Status: FlowStatuses.Running }
                    && snapshot.Instance.Tasks.Any(t => t.Step == timer.Step && t.Status == FlowTaskStatuses.Open);
                if (open)
                {
                    e = new RuleEvent
                    {
                        Type = RuleTriggerTypes.TaskOverdue, App = app.Key, Entity = snapshot!.Instance.Entity, RecordId = snapshot.Instance.RecordId,
                        Record = snapshot.Record?.Data, Flow = snapshot.Instance.Flow, Step = timer.Step, InstanceId = snapshot.Instance.Id, Rule = rule.Key,
                    };
                }
            }
            else
            {
                e = new RuleEvent { Type = RuleTriggerTypes.Schedule, App = app.Key, Entity = rule.Entity, Rule = rule.Key, Record = [] };
                // After the occurrence that fired, not after now: a timer fired early (a test clock) must not be set again for itself.
                if (RuleSchedule.Next(rule.Trigger.Cron, rule.Trigger.TimeZone, timer.DueAt > now ? timer.DueAt : now) is { } next)
                {
                    await InsertScheduleAsync(connection, transaction, app.Key, rule.Key, next, ct);
                }
            }

            if (e is not null)
            {
                await rules.RunAsync(app, connection, transaction, now, [e], ct);
            }
        }

        await using var done = new NpgsqlBatch(connection, transaction) { BatchCommands = { FlowStore.FiredTimerCommand(timer, now, node) } };
        await done.ExecuteNonQueryAsync(ct);
    }

    /// <summary>After a publish: one pending timer per enabled schedule rule of the app, at its next occurrence.</summary>
    public async Task SyncSchedulesAsync(AppDefinition app, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using (var clear = new NpgsqlCommand("delete from timers where kind = $1 and payload->>'app' = $2", connection, transaction))
        {
            clear.Parameters.Add(new NpgsqlParameter { Value = Schedule });
            clear.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            await clear.ExecuteNonQueryAsync(ct);
        }

        var now = time.GetUtcNow();
        foreach (var rule in app.Rules.Where(r => r.Enabled && r.Trigger.Type == RuleTriggerTypes.Schedule))
        {
            if (RuleSchedule.Next(rule.Trigger.Cron, rule.Trigger.TimeZone, now) is { } next)
            {
                await InsertScheduleAsync(connection, transaction, app.Key, rule.Key, next, ct);
            }
        }
    }

    private static async Task InsertScheduleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string app, string rule, DateTimeOffset due, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("insert into timers (id, step, kind, due_at, payload) values ($1, $2, $3, $4, $5::jsonb)", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = rule });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Schedule });
        cmd.Parameters.Add(new NpgsqlParameter { Value = due });
        cmd.Parameters.Add(new NpgsqlParameter { Value = new JsonObject { ["app"] = app, ["rule"] = rule }.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
