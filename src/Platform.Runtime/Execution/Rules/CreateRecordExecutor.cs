using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>create-record</c>: the same validation, auto-numbers and flow starts as the API, in the chain's transaction.</summary>
public sealed class CreateRecordExecutor(IServiceProvider services) : IRuleActionExecutor
{
    public string Type => "create-record";

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var entity = scope.Chain.App.FindEntity(plan.Values["entity"]!.GetValue<string>()) ?? throw new RuleActionException("实体不存在");
        var data = plan.Values["data"]!.AsObject().DeepClone().AsObject();
        var (record, events) = await services.GetRequiredService<RecordService>().CreateInChainAsync(scope.Chain, entity, data, scope.By, ct);
        var outcome = new RuleActionOutcome
        {
            Result = new JsonObject { ["entity"] = entity.Key, ["id"] = record.Id.ToString() },
            Last = new JsonObject { ["id"] = record.Id.ToString(), ["data"] = record.Data.DeepClone() },
        };
        outcome.Events.AddRange(events);
        return outcome;
    }
}
