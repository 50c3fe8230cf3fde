using System.Text.Json.Nodes;

namespace Platform.Core.Rules.Definitions;

/// <summary>What makes a rule look at a record: one of <see cref="RuleTriggerTypes"/> with its settings.</summary>
public sealed record RuleTrigger
{
    /// <summary>A <see cref="RuleTriggerTypes"/> name.</summary>
    public required string Type { get; init; }

    /// <summary><c>field.changed</c>: the field that must change.</summary>
    public string? Field { get; init; }

    /// <summary><c>field.changed</c>: only when the old value equals this (optional).</summary>
    public JsonNode? From { get; init; }

    /// <summary><c>field.changed</c>: only when the new value equals this (optional).</summary>
    public JsonNode? To { get; init; }

    /// <summary>Step triggers: the flow key (optional: any flow of the entity).</summary>
    public string? Flow { get; init; }

    /// <summary>Step triggers and <c>task.overdue</c>: the step key.</summary>
    public string? Step { get; init; }

    /// <summary><c>task.overdue</c>: how long the step may stay open.</summary>
    public RuleDelay? After { get; init; }

    /// <summary><c>schedule</c>: a cron expression (5 fields, or 6 with seconds).</summary>
    public string? Cron { get; init; }

    /// <summary><c>schedule</c>: the time zone the cron expression is read in (default China Standard Time).</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>webhook</c>: the key of the app's inbound hook.</summary>
    public string? Hook { get; init; }
}
