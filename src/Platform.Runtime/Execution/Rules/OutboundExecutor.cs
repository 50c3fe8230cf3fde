using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>robot</c> and <c>webhook</c>: one outbox row each, sent after commit through the outbound guard.</summary>
public sealed class OutboundExecutor(string type) : IRuleActionExecutor
{
    public string Type => type;

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var payload = plan.Values.DeepClone().AsObject();
        payload["app"] = scope.Chain.App.Key;
        foreach (var key in payload.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            payload.Remove(key);
        }

        await RuleOutbox.QueueAsync(scope.Chain, type, scope.ActionKey, payload, ct);
        return new RuleActionOutcome { Result = new JsonObject { ["queued"] = type, ["idempotencyKey"] = scope.ActionKey } };
    }
}
