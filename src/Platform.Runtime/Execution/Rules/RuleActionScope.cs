using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>What an executor sees: the chain (connection, transaction), the rule, the event and the current record.</summary>
public sealed class RuleActionScope
{
    public required RuleChain Chain { get; init; }

    public required RuleDefinition Rule { get; init; }

    public required RuleEvent Event { get; init; }

    public required EntityDefinition? Entity { get; init; }

    public required JsonObject Record { get; init; }

    /// <summary>Unique per action of this firing: the idempotency key stem of the messages it queues.</summary>
    public required string ActionKey { get; init; }

    public string By => $"rule:{Rule.Key}";
}
