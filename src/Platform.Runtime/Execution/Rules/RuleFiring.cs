using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Rules;

/// <summary>One row of the firing log: a rule looked at an event, what its condition said and what its actions did.</summary>
public sealed class RuleFiring
{
    public required string App { get; init; }

    public required string Rule { get; init; }

    public required string Trigger { get; init; }

    public string? Entity { get; init; }

    public Guid? RecordId { get; init; }

    public required int Seq { get; init; }

    public int? ParentSeq { get; init; }

    public required int Depth { get; init; }

    /// <summary>fired | condition-false | error | loop | depth-limit.</summary>
    public string Status { get; set; } = "fired";

    public string? Condition { get; set; }

    public bool? ConditionResult { get; set; }

    public JsonArray Actions { get; } = [];

    public string? Error { get; set; }

    public double DurationMs { get; set; }

    public required DateTimeOffset At { get; init; }

    public required string By { get; init; }
}
