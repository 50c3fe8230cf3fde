using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Group commit for simple creates (the record and its audit row are the create's whole write). Up to
/// <see cref="PlatformSettings.CreateWriters"/> writes are in flight at once (default one): while one is free, a create goes
/// at once on the caller's own flow (a batch of one, no waiting); the creates that arrive while all are busy queue, and the
/// next write sends all of them (up to
/// <see cref="PlatformSettings.CreateBatchMax"/>) as one batch in one transaction and one commit. A caller's task completes
/// only after the commit that holds its create. When the combined transaction fails with an error from the database (a unique
/// field, a check, a serialization failure or deadlock), nothing of it was committed, and the creates are written again one
/// by one, so each succeeds or fails with exactly what it would alone. A create whose caller cancelled while it waited is
/// dropped unwritten; once sent it is committed and audited even when the caller has gone away.
/// </summary>
public sealed class RecordCreateQueue(RecordStore store, PlatformSettings settings)
{
    private readonly int max = Math.Max(1, settings.CreateBatchMax);
    private readonly int writers = Math.Max(1, settings.CreateWriters);
    private readonly Lock gate = new();
    private readonly Queue<Pending> waiting = new();
    private int writing;

    /// <summary>How many creates wait for the write in flight to finish (diagnostics and tests).</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>Writes the record (see the type's remarks); the stored record once its commit is confirmed.</summary>
    public async Task<StoredRecord> CreateAsync(NewRecord record, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (max == 1)
        {
            return await store.InsertAsync(record, CancellationToken.None);
        }

        Pending? queued = null;
        lock (gate)
        {
            if (writing >= writers)
            {
                queued = new Pending(record, ct);
                waiting.Enqueue(queued);
            }
            else
            {
                writing++;
            }
        }

        if (queued is not null)
        {
            return await queued.Done.Task;
        }

        try
        {
            return await store.InsertAsync(record, CancellationToken.None);
        }
        finally
        {
            HandOver();
        }
    }

    /// <summary>After a write: stop being the writer when nothing waits, else write what waits on a pool thread (not on this caller's time).</summary>
    private void HandOver()
    {
        lock (gate)
        {
            if (waiting.Count == 0)
            {
                writing--;
                return;
            }
        }

        _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        var batch = new List<Pending>(max);
        while (true)
        {
            batch.Clear();
            lock (gate)
            {
                while (batch.Count < max && waiting.TryDequeue(out var next))
                {
                    if (next.Cancel.IsCancellationRequested)
                    {
                        next.Done.TrySetCanceled(next.Cancel);
                    }
                    else
                    {
                        batch.Add(next);
                    }
                }

                if (batch.Count == 0 && waiting.Count == 0)
                {
                    writing--;
                    return;
                }
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }
        }
    }

    /// <summary>Writes the batch and completes every caller's task; never throws (the drain must go on).</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await WriteAloneAsync(batch[0]);
            return;
        }

        StoredRecord[] stored;
        try
        {
            stored = await store.InsertManyAsync(batch.Select(p => p.Record).ToList(), CancellationToken.None);
        }
        catch (PostgresException)
        {
            // The server refused the combined transaction, so none of it committed: each create again on its own.
            foreach (var pending in batch)
            {
                await WriteAloneAsync(pending);
            }

            return;
        }
        catch (Exception e)
        {
            // A broken connection or the like: whether the commit happened is unknown, so no create is written again (as for a
            // single create, whose caller gets the same error).
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(stored[i]);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            pending.Done.TrySetResult(await store.InsertAsync(pending.Record, CancellationToken.None));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private sealed record Pending(NewRecord Record, CancellationToken Cancel)
    {
        public TaskCompletionSource<StoredRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
