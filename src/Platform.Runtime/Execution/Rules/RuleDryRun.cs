using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Evaluates a rule against a sample record and reports what it would do — trigger match, condition, every action's
/// plan, and for an assignment the candidates it would weigh — in a read-only transaction that is rolled back.
/// </summary>
public sealed class RuleDryRun(RuleEngine engine, RecordValidation validation, RuleRecords records, NpgsqlDataSource dataSource, Customers.TrackingLinks links, PublicForms.RecordFormLinks formLinks, TimeProvider time)
{
    public async Task<JsonObject> RunAsync(AppDefinition app, RuleDefinition rule, JsonObject data, JsonObject? old, string by, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entity = rule.Entity is null ? null : app.FindEntity(rule.Entity);
        var record = data.DeepClone().AsObject();
        var report = new JsonObject { ["rule"] = rule.Key, ["trigger"] = rule.Trigger.Type, ["enabled"] = rule.Enabled, ["written"] = false };
        if (entity is not null)
        {
            var validated = await validation.ValidateAsync(app, entity, data, old, by, now, false, null, ct, granted: data.Select(d => d.Key).ToHashSet());
            record = validated.Data;

            // The analyst's sample wins over what the form engine would fill or drop (lookups without their source, system fields).
            foreach (var (k, v) in data)
            {
                record[k] = v?.DeepClone();
            }

            if (!validated.IsValid)
            {
                report["recordErrors"] = JsonSerializer.SerializeToNode(validated.Errors);
            }
        }

        var t = rule.Trigger;
        var changed = old is null ? [] : RecordDiff.Changes(old, record).Select(c => c.Key).ToList();
        var e = new RuleEvent
        {
            Type = t.Type == RuleTriggerTypes.FieldChanged ? RuleTriggerTypes.RecordUpdated : t.Type,
            App = app.Key, Entity = rule.Entity, RecordId = Guid.Empty, Record = record, Old = old, Changed = changed,
            Flow = t.Flow, Step = t.Step, Rule = rule.Key, Hook = t.Hook, By = by,
        };
        report["matched"] = RuleEngine.Matches(rule, e);
        var condition = engine.EvaluateCondition(rule, entity, e, record, now);
        report["condition"] = new JsonObject { ["expression"] = condition.Expression, ["result"] = condition.Passed, ["error"] = condition.Error };
        var fires = report["matched"]!.GetValue<bool>() && condition.Passed && rule.Enabled;
        report["wouldFire"] = fires;
        var actions = new JsonArray();
        report["actions"] = actions;
        if (!fires && condition.Error is not null)
        {
            return report;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        var chain = new RuleChain(app, connection, transaction, now, RuleChainGuard.DefaultMaxDepth);

        // A sample record has no id: the link shows its shape (it opens nothing).
        var link = rule.Entity is { } tracked && rule.Actions.Any(RuleRunner.UsesTrackingLink) && await links.CreateAsync(app, tracked, Guid.Empty, ct) is { } l ? JsonValue.Create(l) : null;
        var extra = new Dictionary<string, JsonNode?> { [RuleVariables.TrackingLink] = link, [RuleVariables.FormLinks] = await RuleRunner.FormLinksAsync(formLinks, app, rule, Guid.Empty, ct) };
        foreach (var action in rule.Actions)
        {
            var entry = new JsonObject { ["type"] = action.Type };
            actions.Add(entry);
            try
            {
                var plan = engine.Plan(action, new RuleActionContext { App = app, Entity = entity, Event = e, Record = record, Now = now, Expressions = engine.Expressions, Extra = extra });
                entry["summary"] = plan.Summary;
                entry["runs"] = plan.Runs;
                entry["values"] = plan.Values.DeepClone();
                if (plan.Runs && plan.Type == "set-fields")
                {
                    foreach (var (k, v) in plan.Values["fields"]!.AsObject())
                    {
                        record[k] = v?.DeepClone();
                    }
                }
                else if (plan.Runs && plan.Type == "assign" && app.FindEntity(plan.Values["entity"]!.GetValue<string>()) is { } candidates)
                {
                    var found = await records.QueryAsync(chain, candidates, plan.Values["where"]!.AsArray(), plan.Values["orderBy"]!.AsArray() is { Count: > 0 } o ? new JsonArray(o[0]!.DeepClone()) : null, 50, false, ct);
                    entry["candidates"] = new JsonArray(found.Select(r => (JsonNode?)new JsonObject { ["id"] = r.Id.ToString(), ["data"] = r.Data.DeepClone() }).ToArray());
                    entry["chosen"] = found.Count == 0 ? null : found[0].Id.ToString();
                }
            }
            catch (Exception x) when (x is ExpressionFault or RuleActionException or InvalidOperationException)
            {
                entry["error"] = x is ExpressionFault f ? $"{f.Kind}: {f.Reason}" : x.Message;
            }
        }

        await transaction.RollbackAsync(ct);
        return report;
    }
}
