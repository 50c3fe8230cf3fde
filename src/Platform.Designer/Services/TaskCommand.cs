using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>An action on a task, as <c>POST /api/tasks/{id}/actions</c> takes it: action, comment, step fields, target user or step, signer position.</summary>
public sealed record TaskCommand(string Action, string? Comment = null, JsonObject? Fields = null, string? To = null, string? Position = null);
