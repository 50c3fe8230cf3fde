using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Carries out the plan of one rule action type inside the chain's transaction.</summary>
public interface IRuleActionExecutor
{
    /// <summary>The action type name it executes (as registered in Core).</summary>
    string Type { get; }

    Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct);
}
