using System.Text.Json.Nodes;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The running flow instances (with their records) this node last wrote, so the next action on one of their tasks needs no
/// read before its write: the "sticky" workflow cache of Temporal's workers, kept safe the way the rest of the engine is. A
/// copy is only ever a guess: a command decided on it writes under the instance's row version and the record's <c>xmin</c>
/// (<see cref="FlowWrite.ExpectedRecordXmin"/>), so a copy that another node, a record edit, a rule or an aggregate's recount
/// made stale is refused as a conflict with nothing written, forgotten, and the command runs again on a fresh read. A refusal
/// decided on a copy (no such task, not yours, not allowed) is never answered from it either: the caller reads and decides
/// again. Entries are put here only from writes this node committed, with the values the database gave the rows, and handed
/// out as deep copies. Least recently used entries go first beyond <see cref="PlatformSettings.FlowCacheSize"/>.
/// </summary>
public sealed class FlowInstanceCache(PlatformSettings settings)
{
    private readonly int capacity = Math.Max(0, settings.FlowCacheSize);
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, LinkedListNode<Entry>> instances = [];
    private readonly Dictionary<Guid, Guid> tasks = [];
    private readonly LinkedList<Entry> recent = new();
    private long hits;
    private long misses;

    /// <summary>Instances held now (diagnostics and tests).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return instances.Count;
            }
        }
    }

    /// <summary>Lookups answered from the cache and lookups it could not answer (diagnostics and tests).</summary>
    public (long Hits, long Misses) Lookups => (Interlocked.Read(ref hits), Interlocked.Read(ref misses));

    /// <summary>A copy of the instance holding <paramref name="taskId"/> as this node last wrote it, marked <see cref="FlowSnapshot.Cached"/>; null when not held.</summary>
    public FlowSnapshot? FindByTask(Guid taskId)
    {
        if (capacity == 0)
        {
            return null;
        }

        Entry? entry = null;
        lock (gate)
        {
            if (tasks.TryGetValue(taskId, out var instanceId) && instances.TryGetValue(instanceId, out var node))
            {
                recent.Remove(node);
                recent.AddFirst(node);
                entry = node.Value;
            }
        }

        if (entry is null)
        {
            Interlocked.Increment(ref misses);
            return null;
        }

        Interlocked.Increment(ref hits);
        return new FlowSnapshot(entry.Instance.Clone(), entry.RowVersion, entry.Record with { Data = entry.Record.Data.DeepClone().AsObject() }) { Cached = true };
    }

    /// <summary>
    /// After <paramref name="write"/> committed in transaction <paramref name="xid"/> over <paramref name="before"/>: holds the
    /// instance and record as stored now, or forgets them when that is not known exactly (the record holds aggregates, which
    /// the database recomputes while writing it; the write changed the record without the <c>xmin</c> guard, so it merged onto
    /// whatever the record had by then; the flow ended; the record's <c>xmin</c> was not read).
    /// </summary>
    public void Remember(FlowSnapshot before, FlowWrite write, uint xid, bool recordHoldsAggregates)
    {
        var instance = write.Result.Instance;
        if (capacity == 0)
        {
            return;
        }

        if (before.Record is not { Xmin: not 0 } record || xid == 0 || instance.Status != FlowStatuses.Running || write.ExpectedRowVersion is null)
        {
            Forget(instance.Id);
            return;
        }

        if (FlowStore.RecordAfter(write) is { Diff.Count: > 0 } changed)
        {
            // Unguarded (decided on a read), the change merged onto whatever the record had by then: not known exactly.
            if (recordHoldsAggregates || write.ExpectedRecordXmin is null)
            {
                Forget(instance.Id);
                return;
            }

            record = record with
            {
                Data = changed.After, Version = record.Version + 1, UpdatedAt = RecordStore.StoredInstant(write.Now), UpdatedBy = write.By, Xmin = xid,
            };
        }

        Put(instance, write.ExpectedRowVersion.Value + 1, record, write.Result.ClosedTasks.Select(c => c.Task.Id));
    }

    /// <summary>After a record was created with the flows <paramref name="starts"/> started (row version 1) in one committed transaction.</summary>
    public void RememberStarted(StoredRecord record, IReadOnlyList<FlowWrite> starts, bool recordHoldsAggregates)
    {
        if (capacity == 0 || record.Xmin == 0 || recordHoldsAggregates)
        {
            return;
        }

        foreach (var start in starts)
        {
            if (start.Result.Instance.Status == FlowStatuses.Running)
            {
                Put(start.Result.Instance, 1, record, []);
            }
        }
    }

    /// <summary>Drops what is held of an instance (its write was refused, or it was written by a path that does not keep it here).</summary>
    public void Forget(Guid instanceId)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (gate)
        {
            if (instances.Remove(instanceId, out var node))
            {
                Drop(node);
            }
        }
    }

    private void Put(FlowInstance instance, int rowVersion, StoredRecord record, IEnumerable<Guid> closedTasks)
    {
        var entry = new Entry(instance.Clone(), rowVersion, record with { Data = record.Data.DeepClone().AsObject(), Flow = null }, instance.Tasks.Select(t => t.Id).ToList());
        lock (gate)
        {
            foreach (var closed in closedTasks)
            {
                tasks.Remove(closed);
            }

            if (instances.Remove(instance.Id, out var old))
            {
                Drop(old);
            }

            instances[instance.Id] = recent.AddFirst(entry);
            foreach (var task in entry.Tasks)
            {
                tasks[task] = instance.Id;
            }

            while (instances.Count > capacity && recent.Last is { } last)
            {
                instances.Remove(last.Value.Instance.Id);
                Drop(last);
            }
        }
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        recent.Remove(node);
        foreach (var task in node.Value.Tasks)
        {
            if (tasks.TryGetValue(task, out var owner) && owner == node.Value.Instance.Id)
            {
                tasks.Remove(task);
            }
        }
    }

    private sealed record Entry(FlowInstance Instance, int RowVersion, StoredRecord Record, IReadOnlyList<Guid> Tasks);
}
