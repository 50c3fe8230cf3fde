using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// A self-contained flow write with its rows and statements already built on the caller's thread (state JSON, SQL text,
/// parameters), so the group-commit writer, whose time every queued command waits on, only concatenates and sends them. The
/// statements are handed out once: a write sent again on its own after its combined batch failed gets freshly built ones.
/// </summary>
public sealed class BuiltFlowWrite
{
    private List<NpgsqlBatchCommand>? statements;

    public BuiltFlowWrite(FlowWrite write)
    {
        Write = write;
        Rows = FlowBatchRows.Of(write);
        statements = Build();
    }

    public FlowWrite Write { get; }

    /// <summary>The instance and its common effects, for the batch's shared statement; null for a new instance (its statements hold all of it).</summary>
    public FlowBatchRows? Rows { get; }

    /// <summary>The write's statements besides <see cref="Rows"/>: the ones built with the write the first time, new ones after that.</summary>
    public List<NpgsqlBatchCommand> TakeStatements() => Interlocked.Exchange(ref statements, null) ?? Build();

    private List<NpgsqlBatchCommand> Build() => Rows is null ? FlowStore.Commands(Write) : FlowStore.EffectCommands(Write);
}
