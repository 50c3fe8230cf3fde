using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Executes rules in the triggering command's transaction. Events of the command are matched against the app's
/// rules (priority order); a passing condition fires the rule's actions in a savepoint (a failing rule is rolled
/// back alone and logged, the command still commits); what actions change becomes events one level deeper, until
/// the chain is quiet, hits the depth limit, or would fire a rule twice for one record. Every evaluation is logged.
/// </summary>
public sealed class RuleRunner(
    RuleEngine engine, IEnumerable<IRuleActionExecutor> executors, PlatformSettings settings, Customers.TrackingLinks links, PublicForms.RecordFormLinks formLinks, ILogger<RuleRunner> logger)
{
    private readonly Dictionary<string, IRuleActionExecutor> byType = executors.ToDictionary(e => e.Type, StringComparer.Ordinal);

    /// <summary>True when any event would be looked at by a rule (or sets an overdue timer): then the command runs the chain.</summary>
    public static bool Concerns(AppDefinition app, IReadOnlyCollection<RuleEvent> events) =>
        app.Rules.Any(rule => rule.Enabled && events.Any(e => RuleEngine.Matches(rule, e) || IsOverdueFor(rule, e)));

    /// <summary>
    /// Before a create is written: when every rule its events match evaluates false (and none needs a timer or reads
    /// an auto-number, which only the insert assigns), the logged evaluations, so the create stays one round trip;
    /// otherwise null and the command runs the chain in a transaction.
    /// </summary>
    public List<RuleFiring>? QuietFirings(AppDefinition app, IReadOnlyList<RuleEvent> events, DateTimeOffset now)
    {
        var firings = new List<RuleFiring>();
        foreach (var e in events)
        {
            var entity = e.Entity is null ? null : app.FindEntity(e.Entity);
            foreach (var rule in app.Rules)
            {
                if (rule.Enabled && IsOverdueFor(rule, e))
                {
                    return null;
                }
            }

            foreach (var rule in RuleEngine.Match(app.Rules, e))
            {
                var started = Stopwatch.GetTimestamp();
                var source = RuleEngine.ConditionSource(rule, entity);
                if (source is null || (entity is not null && engine.Expressions.GetFreeVariables(source).Any(v => entity.FindField(v)?.Type == "auto-number")))
                {
                    return null;
                }

                var condition = engine.EvaluateCondition(rule, entity, e, e.Record ?? [], now);
                if (condition.Passed || condition.Error is not null)
                {
                    return null;
                }

                firings.Add(new RuleFiring
                {
                    App = app.Key, Rule = rule.Key, Trigger = e.Type, Entity = e.Entity, RecordId = e.RecordId, Seq = firings.Count + 1, Depth = 0, At = now, By = e.By,
                    Status = "condition-false", Condition = condition.Expression, ConditionResult = false,
                    DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                });
            }
        }

        return firings;
    }

    /// <summary>
    /// Runs a chain for the command's events on its connection and transaction until no event is left, then writes
    /// the firing log. Call before the command commits; returns the chain (what fired, the records it changed).
    /// </summary>
    public async Task<RuleChain> RunAsync(
        AppDefinition app, NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, IEnumerable<RuleEvent> events, CancellationToken ct)
    {
        // The chain's clock is written by its actions (alerts, firing log, timers), and PostgreSQL parameters take UTC only: a
        // caller's local-offset moment (a business-calendar deadline) is the same instant in UTC.
        var chain = new RuleChain(app, connection, transaction, now.ToUniversalTime(), settings.RuleMaxDepth);
        foreach (var e in events)
        {
            chain.Add(e);
        }

        while (chain.Pending.TryDequeue(out var pending))
        {
            await HandleAsync(chain, pending, ct);
        }

        await WriteLogAsync(chain, ct);
        return chain;
    }

    private async Task HandleAsync(RuleChain chain, PendingRuleEvent pending, CancellationToken ct)
    {
        var e = pending.Event;
        if (e.Type == RuleTriggerTypes.StepEntered)
        {
            await SetOverdueTimersAsync(chain, e, ct);
        }

        foreach (var rule in RuleEngine.Match(chain.App.Rules, e))
        {
            var fired = await FireAsync(chain, rule, pending, ct);
            if (fired && rule.StopFurther)
            {
                break;
            }
        }
    }

    private async Task<bool> FireAsync(RuleChain chain, RuleDefinition rule, PendingRuleEvent pending, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var e = pending.Event;
        var entity = rule.Entity is null ? null : chain.App.FindEntity(rule.Entity);
        var record = (e.RecordId is { } rid && chain.Records.TryGetValue(rid, out var current) ? current : e.Record)?.DeepClone().AsObject() ?? [];
        var firing = new RuleFiring
        {
            App = chain.App.Key, Rule = rule.Key, Trigger = e.Type, Entity = e.Entity, RecordId = e.RecordId, Seq = chain.NextSeq(),
            ParentSeq = pending.CausedBy, Depth = pending.Depth, At = chain.Now, By = e.By,
        };
        chain.Firings.Add(firing);

        var condition = engine.EvaluateCondition(rule, entity, e, record, chain.Now);
        firing.Condition = condition.Expression;
        firing.ConditionResult = condition.Error is null ? condition.Passed : null;
        if (condition.Error is not null || !condition.Passed)
        {
            firing.Status = condition.Error is null ? "condition-false" : "error";
            firing.Error = condition.Error;
            firing.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return false;
        }

        if (chain.Guard.Refuse(rule.Key, e.RecordId, pending.Depth) is { } refusal)
        {
            firing.Status = refusal.StartsWith("depth", StringComparison.Ordinal) ? "depth-limit" : "loop";
            firing.Error = refusal;
            firing.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            logger.LogWarning("Rule {Rule} not fired for {Record}: {Reason}", rule.Key, e.RecordId, refusal);
            return false;
        }

        await chain.Transaction.SaveAsync("rule", ct);
        var caused = new List<RuleEvent>();
        var recordsBefore = new Dictionary<Guid, JsonObject>(chain.Records);
        JsonNode? last = null;
        var trackingLink = await TrackingLinkAsync(chain.App, rule, e, ct);
        var recordFormLinks = await FormLinksAsync(formLinks, chain.App, rule, e.RecordId, ct);
        try
        {
            for (var index = 0; index < rule.Actions.Count; index++)
            {
                var action = rule.Actions[index];
                var context = new RuleActionContext
                {
                    App = chain.App, Entity = entity, Event = e, Record = record, Now = chain.Now, Expressions = engine.Expressions,
                    Extra = new Dictionary<string, JsonNode?> { [RuleVariables.Last] = last, [RuleVariables.TrackingLink] = trackingLink, [RuleVariables.FormLinks] = recordFormLinks.DeepClone() },
                };
                var plan = engine.Plan(action, context);
                var entry = new JsonObject { ["type"] = action.Type, ["summary"] = plan.Summary };
                firing.Actions.Add(entry);
                if (!plan.Runs)
                {
                    entry["skipped"] = true;
                    continue;
                }

                if (!byType.TryGetValue(action.Type, out var executor))
                {
                    throw new RuleActionException($"动作类型 '{action.Type}' 在此运行时没有执行器");
                }

                var outcome = await executor.ExecuteAsync(plan, new RuleActionScope
                {
                    Chain = chain, Rule = rule, Event = e, Entity = entity, Record = record, ActionKey = $"rule:{chain.Id}:{firing.Seq}:{index}",
                }, ct);
                entry["result"] = outcome.Result;
                caused.AddRange(outcome.Events);
                last = outcome.Last;
                if (outcome.Record is { } changed)
                {
                    record = changed.DeepClone().AsObject();
                }
            }

            // Not released: a release is a round trip, and the savepoint ends with the transaction anyway.
        }
        catch (Exception x) when (x is RuleActionException or ExpressionFault or PostgresException or InvalidOperationException or JsonException or FormatException)
        {
            await chain.Transaction.RollbackAsync("rule", ct);
            chain.Records.Clear();
            foreach (var (k, v) in recordsBefore)
            {
                chain.Records[k] = v;
            }

            firing.Status = "error";
            firing.Error = x is ExpressionFault f ? $"{f.Kind}: {f.Reason}" : x.Message;
            firing.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            logger.LogWarning("Rule {Rule} failed for {Record}: {Error}", rule.Key, e.RecordId, firing.Error);
            return false;
        }

        foreach (var next in caused)
        {
            chain.Add(next with { By = $"rule:{rule.Key}" }, pending.Depth + 1, firing.Seq);
        }

        firing.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return true;
    }

    /// <summary>The record's signed tracking link when an action's text asks for it (made only then) and its entity is tracked.</summary>
    private async Task<JsonNode?> TrackingLinkAsync(AppDefinition app, RuleDefinition rule, RuleEvent e, CancellationToken ct) =>
        e.RecordId is { } id && rule.Entity is { } entity && rule.Actions.Any(UsesTrackingLink) && await links.CreateAsync(app, entity, id, ct) is { } link
            ? JsonValue.Create(link)
            : null;

    /// <summary>
    /// <c>$formLinks</c>: the signed link of every per-record form the rule's texts name, made for <paramref name="recordId"/>
    /// (only those named, and only when there is a record).
    /// </summary>
    public static async Task<JsonObject> FormLinksAsync(PublicForms.RecordFormLinks formLinks, AppDefinition app, RuleDefinition rule, Guid? recordId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(formLinks);
        ArgumentNullException.ThrowIfNull(rule);
        var found = new JsonObject();
        if (recordId is not { } id)
        {
            return found;
        }

        foreach (var key in rule.Actions.SelectMany(a => new[] { a.Title, a.Text, a.Comment }).SelectMany(RuleVariables.FormLinkKeys).Distinct(StringComparer.Ordinal))
        {
            if (await formLinks.CreateAsync(app, key, id, ct) is { } link)
            {
                found[key] = link;
            }
        }

        return found;
    }

    /// <summary>Whether an action's title, text or comment reads <c>$trackingLink</c>.</summary>
    public static bool UsesTrackingLink(RuleActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new[] { action.Title, action.Text, action.Comment }.Any(t => t?.Contains(RuleVariables.TrackingLink, StringComparison.Ordinal) == true);
    }

    private static bool IsOverdueFor(RuleDefinition rule, RuleEvent e) =>
        rule.Trigger.Type == RuleTriggerTypes.TaskOverdue && e.Type == RuleTriggerTypes.StepEntered && rule.Entity == e.Entity
        && (rule.Trigger.Flow is null || rule.Trigger.Flow == e.Flow) && rule.Trigger.Step == e.Step;

    private static async Task SetOverdueTimersAsync(RuleChain chain, RuleEvent e, CancellationToken ct)
    {
        foreach (var rule in chain.App.Rules.Where(r => r.Enabled && IsOverdueFor(r, e)))
        {
            await using var cmd = chain.Command("insert into timers (id, instance_id, step, kind, due_at, payload) values ($1, $2, $3, 'rule-overdue', $4, $5::jsonb)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.InstanceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Step! });
            cmd.Parameters.Add(new NpgsqlParameter { Value = chain.Now + rule.Trigger.After!.ToTimeSpan() });
            cmd.Parameters.Add(new NpgsqlParameter
            {
                Value = new JsonObject { ["app"] = chain.App.Key, ["rule"] = rule.Key, ["flow"] = e.Flow, ["entity"] = e.Entity, ["recordId"] = e.RecordId?.ToString() }.ToJsonString(),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task WriteLogAsync(RuleChain chain, CancellationToken ct)
    {
        if (chain.Firings.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(chain.Connection, chain.Transaction);
        AddLogCommands(batch, chain.Id, chain.Firings);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds the firing log rows of a chain to a batch.</summary>
    public static void AddLogCommands(NpgsqlBatch batch, Guid chainId, IEnumerable<RuleFiring> firings)
    {
        foreach (var f in firings)
        {
            var cmd = new NpgsqlBatchCommand("""
                insert into rule_firings (app_key, rule_key, trigger, entity_key, record_id, chain_id, seq, parent_seq, depth, status, condition, condition_result, actions, error, duration_ms, at, by)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17)
                """);
            object N(object? v) => v ?? DBNull.Value;
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.App });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Rule });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Trigger });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.Entity), NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.RecordId), NpgsqlDbType = NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new NpgsqlParameter { Value = chainId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Seq });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.ParentSeq), NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Depth });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Status });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.Condition), NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.ConditionResult), NpgsqlDbType = NpgsqlDbType.Boolean });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.Actions.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter { Value = N(f.Error), NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.DurationMs });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.At });
            cmd.Parameters.Add(new NpgsqlParameter { Value = f.By });
            batch.BatchCommands.Add(cmd);
        }
    }
}
