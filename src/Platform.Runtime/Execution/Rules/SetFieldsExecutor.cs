using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Executes <c>set-fields</c> on the triggering record (validated by the form engine, audited).</summary>
public sealed class SetFieldsExecutor(RuleRecords records) : IRuleActionExecutor
{
    public string Type => "set-fields";

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        if (scope.Event.RecordId is not { } id || scope.Entity is null)
        {
            throw new RuleActionException("set-fields 需要一个记录");
        }

        var fields = plan.Values["fields"]!.AsObject().DeepClone().AsObject();
        var changed = await records.SetFieldsAsync(scope.Chain, scope.Entity, id, fields, scope.By, ct);
        var outcome = new RuleActionOutcome
        {
            Result = new JsonObject { ["changed"] = new JsonArray((changed?.Changed ?? []).Select(c => (JsonNode?)c).ToArray()) },
            Record = changed?.Record,
        };
        if (changed is not null)
        {
            outcome.Events.Add(changed);
        }

        return outcome;
    }
}
