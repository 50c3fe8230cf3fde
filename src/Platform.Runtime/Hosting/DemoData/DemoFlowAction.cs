using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// One planned action on a demo record's flow: at <see cref="At"/>, <see cref="By"/> (a demo user, or <c>rule:key</c>
/// for what a template rule would have done) takes <see cref="Action"/> on the open task of <see cref="Step"/>.
/// <see cref="Fields"/> are the record fields the action sets (the handler's input, or a rule's assignment).
/// </summary>
public sealed record DemoFlowAction(string Step, string Action, string By, DateTimeOffset At, string? Comment = null, JsonObject? Fields = null)
{
    /// <summary>True when a rule acts (it may act on any open task of the step, and its field changes are not the handler's input).</summary>
    public bool ByRule => By.StartsWith("rule:", StringComparison.Ordinal);
}
