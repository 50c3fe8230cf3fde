using Platform.Runtime.Hosting;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Group commit of self-contained flow commands (a task action, an action on an instance, a record change moving a flow's
/// deadlines) on <see cref="GroupCommit{TWrite, TResult}"/>. A command is self-contained when its whole write is the batch
/// <see cref="FlowStore.AddCommands"/> builds (the instance under its row-version guard, tasks, history, notifications, CC
/// grants, timers, outbox rows, the record's change and audit row) and nothing else runs in its transaction: no rule chain
/// (those stay on their own transaction in <c>FlowService</c>), no fired timer (written in the claiming transaction), no
/// caller's transaction. While a write is in flight, commands queue and go together (up to
/// <see cref="PlatformSettings.ActionBatchMax"/>, <see cref="PlatformSettings.ActionWriters"/> in flight, pipelined on the one session of
/// <see cref="FlowWriterDataSource"/>) as one implicit transaction with one commit. A stale row version in a combined transaction raises <c>P0409</c>, which rolls all of it back,
/// and each command is written again on its own: the stale one alone gets null (its caller reloads and retries or
/// answers 409), the others commit.
/// </summary>
public sealed class FlowWriteQueue(FlowStore store, PlatformSettings settings)
{
    private readonly GroupCommit<BuiltFlowWrite, uint?> commit = new(store.WriteAsync, store.WriteManyAsync, settings.ActionBatchMax, settings.ActionWriters, settings.ActionPipelineMin);

    /// <summary>How many commands wait for the write in flight to finish (diagnostics and tests).</summary>
    public int Queued => commit.Queued;

    /// <summary>Most batches in flight at once (pipelined on the writer's session).</summary>
    public int Writers => commit.Writers;

    /// <summary>How many commands must wait before a further batch is pipelined behind one in flight.</summary>
    public int PipelineMin => commit.Further;

    /// <summary>Combined transactions that committed with more than one command, and the commands they held.</summary>
    public (long Batches, long Writes) Combined => commit.Combined;

    /// <summary>
    /// Writes a self-contained command: the id of the transaction that committed it, or null when the instance (or the record it
    /// was guarded by) moved on meanwhile (nothing written).
    /// </summary>
    public Task<uint?> WriteAsync(FlowWrite write, CancellationToken ct)
    {
        if (write.FiredTimer is not null)
        {
            throw new ArgumentException("A fired timer is written in its claiming transaction, not through the queue.", nameof(write));
        }

        // Built here, on the caller's thread, not on the writer's.
        return commit.WriteAsync(new BuiltFlowWrite(write), ct);
    }
}
