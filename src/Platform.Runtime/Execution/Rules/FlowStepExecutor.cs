using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>flow-approve</c> and <c>flow-reject</c> on the record's running flow, as <c>rule:key</c>.</summary>
public sealed class FlowStepExecutor(IServiceProvider services, string type) : IRuleActionExecutor
{
    public string Type => type;

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        if (scope.Event.RecordId is not { } id)
        {
            throw new RuleActionException($"{type} 需要一个记录");
        }

        var step = plan.Values["step"]!.GetValue<string>();
        var (acted, events, note) = await services.GetRequiredService<FlowService>().ActForRuleAsync(
            scope.Chain, id, step, plan.Values["action"]!.GetValue<string>(), plan.Values["comment"]?.GetValue<string>(), scope.Rule.Key, ct);
        var outcome = new RuleActionOutcome { Result = new JsonObject { ["step"] = step, ["acted"] = acted, ["note"] = note } };
        outcome.Events.AddRange(events);
        return outcome;
    }
}
