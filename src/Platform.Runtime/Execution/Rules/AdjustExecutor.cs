using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Executes <c>adjust</c>: locks the target row, adds the delta to the field and writes it, all in the chain's
/// transaction, so concurrent adjustments of one record queue on the row lock and none is lost.
/// </summary>
public sealed class AdjustExecutor(RuleRecords records) : IRuleActionExecutor
{
    public string Type => "adjust";

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var entity = scope.Chain.App.FindEntity(plan.Values["entity"]?.GetValue<string>() ?? string.Empty) ?? throw new RuleActionException("目标实体不存在");
        if (!Guid.TryParse(plan.Values["id"]?.GetValue<string>(), out var id))
        {
            throw new RuleActionException("引用字段为空，没有要调整的记录 / the reference is empty");
        }

        var field = plan.Values["field"]!.GetValue<string>();
        var delta = JsonNumbers.ToDecimal(plan.Values["delta"])
            ?? throw new RuleActionException($"调整量不是数字：{plan.Values["delta"]?.ToJsonString() ?? "null"}");
        var existing = await records.LoadForUpdateAsync(scope.Chain, id, ct) ?? throw new RuleActionException($"记录 {id} 不存在");
        var old = JsonNumbers.ToDecimal(existing.Data[field]) ?? 0m;
        var value = old + delta;
        if (entity.FindField(field)?.Type == "integer" && value != decimal.Truncate(value))
        {
            throw new RuleActionException($"{field} 是整数字段，不能调整 {delta.ToString(CultureInfo.InvariantCulture)}");
        }

        var data = existing.Data.DeepClone().AsObject();
        data[field] = JsonValue.Create(value);
        var changed = await records.WriteAsync(scope.Chain, entity, existing, data, scope.By, ct);
        var outcome = new RuleActionOutcome
        {
            Result = new JsonObject { ["entity"] = entity.Key, ["id"] = id.ToString(), ["field"] = field, ["old"] = old, ["new"] = value },
            Last = new JsonObject { ["old"] = old, ["new"] = value },
            Record = id == scope.Event.RecordId ? data : null,
        };
        if (changed is not null)
        {
            outcome.Events.Add(changed);
        }

        return outcome;
    }
}
