using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Rules;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Executes <c>assign</c>: weighs every candidate the query finds in the given order (logged with the values it
/// compared), writes the winner into the record and completes the step's task; with no candidate the task stays
/// open for manual dispatch and the fallback roles are told why.
/// </summary>
public sealed class AssignExecutor(RuleRecords records, RuleEngine engine, IServiceProvider services) : IRuleActionExecutor
{
    public string Type => "assign";

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        if (scope.Event.RecordId is not { } id || scope.Entity is null)
        {
            throw new RuleActionException("assign 需要一个记录");
        }

        var entity = scope.Chain.App.FindEntity(plan.Values["entity"]!.GetValue<string>()) ?? throw new RuleActionException("候选实体不存在");
        var orderBy = plan.Values["orderBy"]!.AsArray();
        var where = plan.Values["where"]!.AsArray();
        var found = await records.QueryAsync(scope.Chain, entity, where, orderBy.Count > 0 ? new JsonArray(orderBy[0]!.DeepClone()) : null, 200, false, ct);
        var ordered = Order(found, orderBy).ToList();
        var titleField = entity.TitleField ?? entity.Fields.FirstOrDefault(f => f.Type == "text")?.Key;
        var candidates = new JsonArray();
        foreach (var c in ordered)
        {
            var weighed = new JsonObject { ["id"] = c.Id.ToString(), ["title"] = titleField is null ? null : c.Data[titleField]?.DeepClone() };
            foreach (var o in orderBy.OfType<JsonObject>())
            {
                var field = o["field"]!.GetValue<string>();
                weighed[field] = c.Data[field]?.DeepClone();
            }

            candidates.Add(weighed);
        }

        var orderText = orderBy.Count == 0 ? "创建时间" : string.Join(", ", orderBy.OfType<JsonObject>().Select(o => $"{o["field"]} {(o["desc"]?.GetValue<bool>() == true ? "desc" : "asc")}"));
        var result = new JsonObject { ["where"] = where.DeepClone(), ["orderBy"] = orderText, ["candidates"] = candidates };
        var outcome = new RuleActionOutcome { Result = result };
        if (ordered.Count == 0)
        {
            result["chosen"] = null;
            result["reason"] = $"没有满足 {where.ToJsonString()} 的候选，转人工派工 / no candidate matched; left for manual dispatch";
            await NotifyFallbackAsync(scope, plan, result["reason"]!.GetValue<string>(), ct);
            return outcome;
        }

        var chosen = ordered[0];
        var candidate = chosen.Data.DeepClone().AsObject();
        candidate["id"] = chosen.Id.ToString();
        result["chosen"] = chosen.Id.ToString();
        result["reason"] = ordered.Count == 1
            ? $"唯一满足条件的候选 / the only candidate matching {where.ToJsonString()}"
            : $"按 {orderText} 排在 {ordered.Count} 个候选的第一位 / first of {ordered.Count} candidates by {orderText}";

        var extra = new Dictionary<string, JsonNode?> { [RuleVariables.Candidate] = candidate };
        var values = new JsonObject();
        foreach (var (field, expression) in plan.Action.Fields ?? new Dictionary<string, string>())
        {
            values[field] = engine.Expressions.Evaluate(expression, RuleEngine.Scope(scope.Entity, scope.Event, scope.Record, scope.Chain.Now, extra))?.DeepClone();
        }

        var changed = await records.SetFieldsAsync(scope.Chain, scope.Entity, id, values, scope.By, ct);
        if (changed is not null)
        {
            outcome.Events.Add(changed);
        }

        if (plan.Values["step"]?.GetValue<string>() is { } step)
        {
            var (acted, events, note) = await services.GetRequiredService<FlowService>().ActForRuleAsync(
                scope.Chain, id, step, "approve", $"自动派工：{candidate[titleField ?? "id"]}（{result["reason"]}）", scope.Rule.Key, ct);
            result["completedStep"] = acted ? step : null;
            result["note"] = note;
            outcome.Events.AddRange(events);
        }

        var final = new RuleActionOutcome { Result = result, Record = changed?.Record, Last = candidate };
        final.Events.AddRange(outcome.Events);
        return final;
    }

    private static IEnumerable<StoredRecord> Order(IReadOnlyList<StoredRecord> found, JsonArray orderBy)
    {
        IOrderedEnumerable<StoredRecord>? sorted = null;
        foreach (var o in orderBy.OfType<JsonObject>())
        {
            var field = o["field"]!.GetValue<string>();
            var desc = o["desc"]?.GetValue<bool>() == true;
            Func<StoredRecord, IComparable?> key = r => r.Data[field] is JsonValue v
                ? JsonNumbers.ToDecimal(v) is { } number ? number : v.ToString()
                : null;
            sorted = sorted is null
                ? desc ? found.OrderByDescending(key) : found.OrderBy(key)
                : desc ? sorted.ThenByDescending(key) : sorted.ThenBy(key);
        }

        return sorted?.ThenBy(r => r.CreatedAt) ?? found.OrderBy(r => r.CreatedAt).AsEnumerable();
    }

    private static async Task NotifyFallbackAsync(RuleActionScope scope, RuleActionPlan plan, string reason, CancellationToken ct)
    {
        var roles = plan.Action.FallbackRoles?.ToArray() ?? [];
        if (roles.Length == 0)
        {
            return;
        }

        await RuleNotifications.InsertAsync(scope, [], roles, "需要人工派工 / manual dispatch needed", reason, ct);
    }
}
