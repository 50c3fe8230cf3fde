using Platform.Runtime.Hosting;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Group commit for simple creates (the record and its audit row are the create's whole write), on <see cref="GroupCommit{TWrite, TResult}"/>:
/// up to <see cref="PlatformSettings.CreateWriters"/> writes in flight at once (default one); while one is free a create goes
/// at once on the caller's own flow, and the creates that arrive while all are busy go together (up to
/// <see cref="PlatformSettings.CreateBatchMax"/>) as one batch in one transaction and one commit. When the combined
/// transaction fails with an error from the database (a unique field, a check, a serialization failure or deadlock), nothing
/// of it was committed, and the creates are written again one by one, so each succeeds or fails with exactly what it would
/// alone. A create whose caller cancelled while it waited is dropped unwritten; once sent it is committed and audited even
/// when the caller has gone away.
/// </summary>
public sealed class RecordCreateQueue(RecordStore store, PlatformSettings settings)
{
    private readonly GroupCommit<NewRecord, StoredRecord> commit = new(
        store.InsertAsync, async (records, ct) => await store.InsertManyAsync(records, ct), settings.CreateBatchMax, settings.CreateWriters);

    /// <summary>How many creates wait for the write in flight to finish (diagnostics and tests).</summary>
    public int Queued => commit.Queued;

    /// <summary>Writes the record (see the type's remarks); the stored record once its commit is confirmed.</summary>
    public Task<StoredRecord> CreateAsync(NewRecord record, CancellationToken ct) => commit.WriteAsync(record, ct);
}
