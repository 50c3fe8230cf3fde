using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Flows.Calendars;
using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Core.Flows.Runtime;

/// <summary>Everything a command sees besides the instance: the definition, the record, the clock, the directory.</summary>
public sealed record FlowContext
{
    public required FlowDefinition Definition { get; init; }

    public required EntityDefinition Entity { get; init; }

    /// <summary>The record's current data (after the fields of the action were applied).</summary>
    public required JsonObject Record { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required IExpressionEngine Expressions { get; init; }

    public IFlowDirectory Directory { get; init; } = DictionaryFlowDirectory.Empty;

    public BusinessCalendar Calendar { get; init; } = BusinessCalendar.ChinaDefault;

    /// <summary>Makes ids for tasks and timers (deterministic in tests).</summary>
    public Func<Guid> NewId { get; init; } = Guid.CreateVersion7;
}
