using System.Text.Json.Nodes;

namespace Platform.Core.Flows.Runtime;

/// <summary>A user's action on a task: approve, reject, return, transfer, add-signer (before/after).</summary>
public sealed record TaskAction
{
    public required Guid TaskId { get; init; }

    public required string Action { get; init; }

    public required FlowActor Actor { get; init; }

    public string? Comment { get; init; }

    /// <summary>Field values the assignee filled (already validated and applied to the record by the runtime).</summary>
    public JsonObject? Fields { get; init; }

    /// <summary>transfer / add-signer: the user; return: the step.</summary>
    public string? To { get; init; }

    /// <summary>add-signer: before or after (default after).</summary>
    public string? Position { get; init; }
}
