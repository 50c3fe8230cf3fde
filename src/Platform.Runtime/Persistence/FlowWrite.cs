using System.Text.Json.Nodes;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Runtime.Persistence;

/// <summary>What to write for one interpreted command.</summary>
public sealed record FlowWrite
{
    public required FlowResult Result { get; init; }

    public required FlowDefinition Definition { get; init; }

    /// <summary>The row version the instance was loaded at; null when the instance is new.</summary>
    public int? ExpectedRowVersion { get; init; }

    /// <summary>
    /// The record row's <c>xmin</c> the command decided on (see <see cref="StoredRecord.Xmin"/>); when set, the write is
    /// refused as a conflict (<c>P0409</c>, nothing written) if the record was written meanwhile.
    /// </summary>
    public uint? ExpectedRecordXmin { get; init; }

    /// <summary>The record's data before the command, when the record already exists (its changes get an audit row).</summary>
    public JsonObject? RecordBefore { get; init; }

    /// <summary>Fields the action changed on the record besides the flow's own (the handler's input).</summary>
    public JsonObject? RecordFields { get; init; }

    /// <summary>The flow's name, the first part of task titles.</summary>
    public required string RecordTitle { get; init; }

    /// <summary>The record field (read in SQL, so a new record's auto-number is there) completing task titles.</summary>
    public string? TitleField { get; init; }

    /// <summary>When the record already exists: <c> · value</c> of its title field, appended to notification titles.</summary>
    public string? TitleSuffix { get; init; }

    public required string By { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required IFlowDirectory Directory { get; init; }

    /// <summary>A timer that fired for this command: deleted and logged as fired in the same transaction.</summary>
    public FlowTimer? FiredTimer { get; init; }

    /// <summary>The node that fired it.</summary>
    public string? FiredBy { get; init; }

    /// <summary>Also queue an e-mail per notification to users with an address.</summary>
    public bool Email { get; init; }
}
