using System.Text.Json.Nodes;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Tests.Flows;

/// <summary>The cache's own bookkeeping, without a database: what it holds, what it hands out, what it lets go.</summary>
public sealed class FlowInstanceCacheTests
{
    [Fact]
    public void FindByTask_HandsOutACopy_ThatChangesNothingHeld()
    {
        var cache = new FlowInstanceCache(new PlatformSettings());
        var (record, start, task) = Started("甲");
        cache.RememberStarted(record, [start], recordHoldsAggregates: false);

        var first = cache.FindByTask(task)!;
        Assert.True(first.Cached);
        Assert.Equal(1, first.RowVersion);
        Assert.Equal(record.Xmin, first.Record!.Xmin);
        first.Instance.Tasks.Clear();
        first.Record.Data["name"] = "改过";

        var second = cache.FindByTask(task)!;
        Assert.Equal(task, Assert.Single(second.Instance.Tasks).Id);
        Assert.Equal("甲", second.Record!.Data["name"]!.GetValue<string>());
        Assert.Equal((2, 0), cache.Lookups);
    }

    [Fact]
    public void RememberStarted_KeepsNothing_WhenTheRecordHoldsAggregates_OrItsXminIsUnknown_OrTheCacheIsOff()
    {
        var (record, start, task) = Started("乙");
        var cache = new FlowInstanceCache(new PlatformSettings());
        cache.RememberStarted(record, [start], recordHoldsAggregates: true);
        cache.RememberStarted(record with { Xmin = 0 }, [start], recordHoldsAggregates: false);
        Assert.Null(cache.FindByTask(task));

        var off = new FlowInstanceCache(new PlatformSettings { FlowCacheSize = 0 });
        off.RememberStarted(record, [start], recordHoldsAggregates: false);
        Assert.Null(off.FindByTask(task));
        Assert.Equal(0, off.Count);
    }

    [Fact]
    public void Put_LetsTheLeastRecentlyUsedGo_BeyondItsSize()
    {
        var cache = new FlowInstanceCache(new PlatformSettings { FlowCacheSize = 2 });
        var a = Started("a");
        var b = Started("b");
        var c = Started("c");
        cache.RememberStarted(a.Record, [a.Start], false);
        cache.RememberStarted(b.Record, [b.Start], false);
        Assert.NotNull(cache.FindByTask(a.Task));

        cache.RememberStarted(c.Record, [c.Start], false);

        Assert.Equal(2, cache.Count);
        Assert.NotNull(cache.FindByTask(a.Task));
        Assert.Null(cache.FindByTask(b.Task));
        Assert.NotNull(cache.FindByTask(c.Task));
    }

    [Fact]
    public void Remember_ForgetsTheInstance_WhenItsWriteLeftItUnknown_AndKeepsTheRecordAsTheWriteLeftIt()
    {
        var cache = new FlowInstanceCache(new PlatformSettings());
        var (record, start, task) = Started("丙");
        cache.RememberStarted(record, [start], false);
        var snapshot = cache.FindByTask(task)!;

        // A write that changed the record: the copy holds its data, version and xmin as the database now has them.
        var next = snapshot.Instance.Clone();
        var nextTask = new FlowTask { Id = Guid.NewGuid(), Step = "b", Assignee = "cs01" };
        next.Tasks = [nextTask];
        var result = new FlowResult { Instance = next };
        result.ClosedTasks.Add(new TaskClosure(snapshot.Instance.Tasks[0], "done", "approve", "cs01", DateTimeOffset.UtcNow, null));
        result.RecordChanges["status"] = "已审核";
        var write = Write(result, rowVersion: 1, before: snapshot.Record!.Data) with { ExpectedRecordXmin = snapshot.Record.Xmin };
        cache.Remember(snapshot, write, xid: 9001, recordHoldsAggregates: false);

        Assert.Null(cache.FindByTask(task));
        var after = cache.FindByTask(nextTask.Id)!;
        Assert.Equal(2, after.RowVersion);
        Assert.Equal((2, 9001u), (after.Record!.Version, after.Record.Xmin));
        Assert.Equal("已审核", after.Record.Data["status"]!.GetValue<string>());

        // The same write over a record holding aggregates (recomputed by the database as it writes): nothing is kept.
        var closing = new FlowResult { Instance = next };
        closing.RecordChanges["status"] = "已完成";
        cache.Remember(after, Write(closing, rowVersion: 2, before: after.Record.Data), xid: 9002, recordHoldsAggregates: true);
        Assert.Null(cache.FindByTask(nextTask.Id));

        // A refused write: forgotten.
        cache.RememberStarted(record, [start], false);
        cache.Forget(start.Result.Instance.Id);
        Assert.Null(cache.FindByTask(task));
    }

    private static (StoredRecord Record, FlowWrite Start, Guid Task) Started(string name)
    {
        var recordId = Guid.NewGuid();
        var task = new FlowTask { Id = Guid.NewGuid(), Step = "a", Assignee = "cs01" };
        var instance = new FlowInstance { Id = Guid.NewGuid(), App = "after_sales", Flow = "t", Version = 1, Entity = "customer", RecordId = recordId, Tasks = [task] };
        var now = DateTimeOffset.UtcNow;
        var record = new StoredRecord(recordId, "after_sales", "customer", new JsonObject { ["name"] = name }, 1, 1, now, "cs01", now, "cs01") { Xmin = 4242 };
        return (record, Write(new FlowResult { Instance = instance }, rowVersion: null, before: null), task.Id);
    }

    private static FlowWrite Write(FlowResult result, int? rowVersion, JsonObject? before) => new()
    {
        Result = result,
        Definition = new FlowDefinition { Key = "t", Name = "t", Entity = "customer" },
        ExpectedRowVersion = rowVersion,
        RecordBefore = before,
        RecordTitle = "t",
        By = "cs01",
        Now = DateTimeOffset.UtcNow,
        Directory = new DictionaryFlowDirectory([]),
    };
}
