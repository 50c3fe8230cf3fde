using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution;

/// <summary>The body of <c>POST /api/tasks/{id}/actions</c>: <c>{ action, comment, fields, to, position }</c>.</summary>
public sealed record TaskActionRequest
{
    public string? Action { get; init; }

    public string? Comment { get; init; }

    public JsonObject? Fields { get; init; }

    public string? To { get; init; }

    public string? Position { get; init; }
}
