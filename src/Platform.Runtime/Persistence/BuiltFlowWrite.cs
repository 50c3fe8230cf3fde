using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// A self-contained flow write with its statements already built on the caller's thread (state JSON, SQL text, parameters), so
/// the group-commit writer, whose time every queued command waits on, only sends them. The statements are handed out once: a
/// write sent again on its own after its combined batch failed gets freshly built ones.
/// </summary>
public sealed class BuiltFlowWrite
{
    private List<NpgsqlBatchCommand>? commands;

    public BuiltFlowWrite(FlowWrite write)
    {
        Write = write;
        commands = FlowStore.Commands(write);
    }

    public FlowWrite Write { get; }

    /// <summary>The statements to add to a batch: the ones built with the write the first time, new ones after that.</summary>
    public List<NpgsqlBatchCommand> TakeCommands() => Interlocked.Exchange(ref commands, null) ?? FlowStore.Commands(Write);
}
