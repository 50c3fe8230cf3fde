using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Group commit of independent writes (each one all-or-nothing in its own transaction when written alone, and needing nothing
/// outside the database while it runs: no caller's transaction, no rule chain, no advisory lock). When nothing is in flight, a
/// write goes at once on the caller's own flow (a batch of one, no hop, no waiting); the writes that arrive while one is in
/// flight queue, and the next write sends all of them (up to <c>max</c>) with <c>writeMany</c>, which must put them in one
/// transaction with one commit. With <c>writers</c> above one, a further writer starts while others are in flight only for a
/// batch (<c>further</c> or more waiting, at least two): a lone write waits for the next batch instead of paying a commit of its own. A caller's task
/// completes only after the commit that holds its write.
/// <para>
/// When the combined transaction fails with an error from the database (severity ERROR: a guard, a unique field, a check, a
/// serialization failure or deadlock), nothing of it was committed, and the writes are written again one by one, so each gets
/// exactly the result or exception it gets alone. Anything else (a broken connection, a timeout, a FATAL from the server)
/// leaves the commit unknown: every write of the batch fails with that exception and none is written again, as a lone write
/// would. A write whose caller cancelled while it waited is dropped unwritten; once sent it is committed even when the caller
/// has gone away (sent writes run with <see cref="CancellationToken.None"/>).
/// </para>
/// </summary>
public sealed class GroupCommit<TWrite, TResult>
{
    private readonly Func<TWrite, CancellationToken, Task<TResult>> writeOne;
    private readonly Func<IReadOnlyList<TWrite>, CancellationToken, Task<TResult[]>> writeMany;
    private readonly int max;
    private readonly int writers;
    private readonly int further;
    private readonly Lock gate = new();
    private readonly Queue<Pending> waiting = new();
    private int writing;
    private long batches;
    private long batched;

    /// <param name="writeOne">Writes one on its own (its own transaction); the result or exception is what its caller gets.</param>
    /// <param name="writeMany">Writes several in one transaction with one commit, results in order; throws when it did not commit.</param>
    /// <param name="max">Most writes in one batch; 1 writes each alone on its caller's flow, with no queue at all.</param>
    /// <param name="writers">Most batches in flight at once.</param>
    /// <param name="further">How many writes must wait before a further batch starts while others are in flight (at least 2).</param>
    public GroupCommit(
        Func<TWrite, CancellationToken, Task<TResult>> writeOne, Func<IReadOnlyList<TWrite>, CancellationToken, Task<TResult[]>> writeMany, int max, int writers,
        int further = 2)
    {
        this.writeOne = writeOne;
        this.writeMany = writeMany;
        this.max = Math.Max(1, max);
        this.writers = Math.Max(1, writers);
        this.further = Math.Max(2, further);
    }

    /// <summary>How many writes wait for a write in flight to finish (diagnostics and tests).</summary>
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

    /// <summary>Most batches in flight at once.</summary>
    public int Writers => writers;

    /// <summary>How many writes must wait before a further batch starts while others are in flight.</summary>
    public int Further => further;

    /// <summary>Combined transactions that committed with more than one write, and the writes they held (diagnostics and tests).</summary>
    public (long Batches, long Writes) Combined => (Interlocked.Read(ref batches), Interlocked.Read(ref batched));

    /// <summary>Writes <paramref name="write"/> (see the type's remarks); its result once its commit is confirmed.</summary>
    public async Task<TResult> WriteAsync(TWrite write, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (max == 1)
        {
            return await writeOne(write, CancellationToken.None);
        }

        Pending? queued = null;
        var extraWriter = false;
        lock (gate)
        {
            if (writing == 0)
            {
                writing++;
            }
            else
            {
                queued = new Pending(write, ct);
                waiting.Enqueue(queued);

                // A further writer starts only for a batch (`further` or more waiting), not for a lone write: one commit per write
                // is what group commit saves, and the writer in flight takes a lone write with the next batch.
                if (writing < writers && waiting.Count >= further)
                {
                    writing++;
                    extraWriter = true;
                }
            }
        }

        if (extraWriter)
        {
            // On this caller's flow up to the batch's first wait for the database, as a lone write goes; without the caller's
            // execution context, so the loop (which writes other callers' batches too) carries no request's trace or locals.
            Unflowed(DrainAsync);
        }

        if (queued is not null)
        {
            return await queued.Done.Task;
        }

        try
        {
            return await writeOne(write, CancellationToken.None);
        }
        finally
        {
            HandOver();
        }
    }

    /// <summary>After a write: stop being a writer when nothing waits, else write what waits on a pool thread (not on this caller's time).</summary>
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

        Unflowed(() => Task.Run(DrainAsync));
    }

    /// <summary>Starts a drain loop without the current execution context (it may already be suppressed by a caller).</summary>
    private static void Unflowed(Func<Task> start)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = start();
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = start();
        }
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
                await WriteBatchAsync(batch);
            }
        }
    }

    /// <summary>Writes the batch and completes every caller's task; never throws (the drain must go on).</summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await WriteAloneAsync(batch[0]);
            return;
        }

        TResult[] results;
        try
        {
            results = await writeMany(batch.Select(p => p.Write).ToList(), CancellationToken.None);
        }
        catch (PostgresException e) when (e.InvariantSeverity == "ERROR")
        {
            // The server refused the combined transaction and rolled it back, so none of it committed: each again on its own.
            foreach (var pending in batch)
            {
                await WriteAloneAsync(pending);
            }

            return;
        }
        catch (Exception e)
        {
            // A broken connection, a timeout, a FATAL: whether the commit happened is unknown, so nothing is written again (a
            // lone write's caller gets the same error).
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        if (results.Length != batch.Count)
        {
            // A broken writeMany contract must fail its callers, not the drain loop (which would then never stop being a writer).
            var broken = new InvalidOperationException($"writeMany returned {results.Length} results for {batch.Count} writes");
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(broken);
            }

            return;
        }

        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batched, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            pending.Done.TrySetResult(await writeOne(pending.Write, CancellationToken.None));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private sealed record Pending(TWrite Write, CancellationToken Cancel)
    {
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
