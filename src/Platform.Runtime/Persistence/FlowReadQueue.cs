using Platform.Runtime.Hosting;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The load before a task action (its instance and record, by task id), grouped like <see cref="FlowWriteQueue"/> groups the
/// writes: while a load is in flight, the loads that arrive meanwhile wait and go together (up to
/// <see cref="PlatformSettings.ActionReadBatchMax"/>) as one batch of prepared statements in one round trip. An idle queue loads
/// at once on the caller's flow. Nothing is weaker than a lone load: each statement reads committed state when the batch runs
/// (never older than when its caller asked), and the write after it is still guarded by the instance's row version. A batch
/// the server refuses is loaded again one by one, so each caller gets what it gets alone.
/// </summary>
public sealed class FlowReadQueue(FlowStore store, PlatformSettings settings)
{
    private readonly GroupCommit<Guid, FlowSnapshot?> reads = new(store.LoadByTaskAsync, store.LoadManyByTaskAsync, settings.ActionReadBatchMax, 1);

    /// <summary>How many loads wait for the load in flight to finish (diagnostics and tests).</summary>
    public int Queued => reads.Queued;

    /// <summary>Batches that held more than one load, and the loads they held (diagnostics and tests).</summary>
    public (long Batches, long Loads) Combined => reads.Combined;

    /// <summary>The instance of <paramref name="taskId"/> with its record, or null when there is no such task.</summary>
    public Task<FlowSnapshot?> LoadByTaskAsync(Guid taskId, CancellationToken ct) => reads.WriteAsync(taskId, ct);
}
