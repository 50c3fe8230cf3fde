using System.Text.Json.Nodes;

namespace Platform.Core.Rules.Runtime;

/// <summary>
/// Something that happened, as rules see it: a record created, updated or deleted, a flow step entered or completed,
/// a task overdue, a schedule or a webhook. Rules whose trigger matches are evaluated against it.
/// </summary>
public sealed record RuleEvent
{
    /// <summary>A <see cref="Definitions.RuleTriggerTypes"/> name (<c>record.updated</c> also matches <c>field.changed</c>).</summary>
    public required string Type { get; init; }

    public required string App { get; init; }

    public string? Entity { get; init; }

    public Guid? RecordId { get; init; }

    /// <summary>The record's data now (after the command).</summary>
    public JsonObject? Record { get; init; }

    /// <summary>The record's data before the command (updates).</summary>
    public JsonObject? Old { get; init; }

    /// <summary>The fields whose values the command changed.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    public string? Flow { get; init; }

    public string? Step { get; init; }

    public Guid? InstanceId { get; init; }

    /// <summary>Timer triggers (overdue, schedule) name the one rule they are for.</summary>
    public string? Rule { get; init; }

    public string? Hook { get; init; }

    public JsonNode? Payload { get; init; }

    /// <summary>Who caused it (a user name, <c>system</c>, or <c>rule:key</c>).</summary>
    public string By { get; init; } = "system";
}
