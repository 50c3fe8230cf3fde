using System.Text.Json.Nodes;
using Platform.Core.Rules;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>update-records</c>: finds and locks the targets, evaluates the fields over each (trigger as <c>$source</c>), validates and writes.</summary>
public sealed class UpdateRecordsExecutor(RuleRecords records, RuleEngine engine) : IRuleActionExecutor
{
    public string Type => "update-records";

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var entity = scope.Chain.App.FindEntity(plan.Values["entity"]!.GetValue<string>()) ?? throw new RuleActionException("实体不存在");
        var targets = await records.QueryAsync(scope.Chain, entity, plan.Values["where"]!.AsArray(), null, plan.Values["limit"]!.GetValue<int>(), true, ct);
        var outcome = new RuleActionOutcome();
        var updated = new JsonArray();
        foreach (var target in targets)
        {
            var e = new RuleEvent { Type = scope.Event.Type, App = scope.Chain.App.Key, Entity = entity.Key, RecordId = target.Id, Record = target.Data, By = scope.By };
            var extra = new Dictionary<string, JsonNode?> { [RuleVariables.Source] = scope.Record };
            var values = new JsonObject();
            foreach (var (field, expression) in plan.Action.Fields ?? new Dictionary<string, string>())
            {
                values[field] = engine.Expressions.Evaluate(expression, RuleEngine.Scope(entity, e, target.Data, scope.Chain.Now, extra))?.DeepClone();
            }

            var changed = await records.SetFieldsAsync(scope.Chain, entity, target.Id, values, scope.By, ct);
            if (changed is not null)
            {
                outcome.Events.Add(changed);
                updated.Add(target.Id.ToString());
            }
        }

        outcome.Result["matched"] = targets.Count;
        outcome.Result["updated"] = updated;
        return outcome;
    }
}
