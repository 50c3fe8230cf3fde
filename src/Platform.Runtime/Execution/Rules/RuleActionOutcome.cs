using System.Text.Json.Nodes;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>What an executed action did (for the log), the events it caused, and its value for <c>$last</c>.</summary>
public sealed class RuleActionOutcome
{
    public JsonObject Result { get; init; } = [];

    public List<RuleEvent> Events { get; } = [];

    public JsonNode? Last { get; init; }

    /// <summary>The triggering record after the action (set-fields, assign), when it changed.</summary>
    public JsonObject? Record { get; init; }
}
