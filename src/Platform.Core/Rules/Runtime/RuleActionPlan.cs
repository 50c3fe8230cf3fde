using System.Text.Json.Nodes;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules.Runtime;

/// <summary>
/// What one action will do, computed purely from the definition and the record (values evaluated, texts rendered):
/// the runtime executes it; a dry-run only reports it.
/// </summary>
public sealed record RuleActionPlan
{
    public required string Type { get; init; }

    public required RuleActionDefinition Action { get; init; }

    /// <summary>A readable sentence for logs and dry-runs.</summary>
    public required string Summary { get; init; }

    /// <summary>The computed settings (fields with values, recipients, texts, query values, …).</summary>
    public JsonObject Values { get; init; } = [];

    /// <summary>False when the action's <c>when</c> was false (nothing to do).</summary>
    public bool Runs { get; init; } = true;
}
