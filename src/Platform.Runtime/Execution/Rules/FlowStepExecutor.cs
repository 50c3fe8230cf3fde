using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>flow-approve</c> and <c>flow-reject</c> on the running flow of the record (or of the one its target reference names), as <c>rule:key</c>.</summary>
public sealed class FlowStepExecutor(IServiceProvider services, string type) : IRuleActionExecutor
{
    public string Type => type;

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var step = plan.Values["step"]!.GetValue<string>();
        Guid id;
        if (plan.Values.ContainsKey("target"))
        {
            // The record a reference points at; an empty reference is nothing to act on, not a failure.
            if (!Guid.TryParse(plan.Values["target"]?.GetValue<string>(), out id))
            {
                return new RuleActionOutcome { Result = new JsonObject { ["step"] = step, ["acted"] = false, ["note"] = "引用为空 / the reference is empty" } };
            }
        }
        else if (scope.Event.RecordId is { } own)
        {
            id = own;
        }
        else
        {
            throw new RuleActionException($"{type} 需要一个记录");
        }

        var (acted, events, note) = await services.GetRequiredService<FlowService>().ActForRuleAsync(
            scope.Chain, id, step, plan.Values["action"]!.GetValue<string>(), plan.Values["comment"]?.GetValue<string>(), scope.Rule.Key, ct,
            plan.Values["fields"] as JsonObject);
        var outcome = new RuleActionOutcome { Result = new JsonObject { ["step"] = step, ["record"] = id.ToString(), ["acted"] = acted, ["note"] = note } };
        outcome.Events.AddRange(events);
        return outcome;
    }
}
