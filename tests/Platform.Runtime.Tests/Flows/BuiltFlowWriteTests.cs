using System.Text.Json.Nodes;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Tests.Flows;

/// <summary>A group-committed flow write's statements, built on the caller's thread before the writer sends them.</summary>
public sealed class BuiltFlowWriteTests
{
    [Fact]
    public void TakeStatements_HandsOutTheStatementsBuiltWithTheWrite_ThenFreshOnes_WhenTheWriteIsSentAgain()
    {
        var write = Approval();
        var built = new BuiltFlowWrite(write);

        var first = built.TakeStatements();
        var again = built.TakeStatements();

        // Besides the rows of the batch statement, the record's change: the statements FlowStore builds for the write's effects.
        var expected = FlowStore.EffectCommands(write);
        Assert.Single(expected);
        Assert.Equal(expected.Select(c => c.CommandText), first.Select(c => c.CommandText));
        Assert.Equal(expected.Select(c => c.Parameters.Count), first.Select(c => c.Parameters.Count));

        // Sent again on its own after its combined batch failed: the same statements, as new objects (a statement and its
        // parameters belong to the batch they were sent in).
        Assert.Equal(first.Select(c => c.CommandText), again.Select(c => c.CommandText));
        Assert.All(first.Zip(again), pair => Assert.NotSame(pair.First, pair.Second));
        Assert.All(first.Zip(again), pair => Assert.All(pair.First.Parameters.Zip(pair.Second.Parameters), p => Assert.NotSame(p.First, p.Second)));
    }

    [Fact]
    public void Rows_HoldTheInstanceTasksAndHistory_AndMergeInOrder_WhenSeveralWritesGoTogether()
    {
        var one = new BuiltFlowWrite(Approval());
        var two = new BuiltFlowWrite(Approval());

        var merged = FlowBatchRows.Merge([one.Rows!, two.Rows!]);
        var command = merged.Command();

        Assert.Equal(2, merged.Count);
        Assert.Equal([one.Write.Result.Instance.Id, two.Write.Result.Instance.Id], merged.Instances);
        Assert.Equal([one.Write.Result.Instance.RecordId, two.Write.Result.Instance.RecordId], merged.Records);

        // One array per column of the parts with rows (the instance, the task opened, the task closed: no task changed, no history,
        // no notification) plus the expected instance count; the same text for any number of writes (one prepared statement).
        Assert.Same(FlowBatchRows.SqlFor(0b001011), command.CommandText);
        Assert.DoesNotContain("changed as", command.CommandText);
        Assert.DoesNotContain("history as", command.CommandText);
        Assert.Equal(8 + 19 + 6 + 1, command.Parameters.Count);
        Assert.Equal(2L, command.Parameters[^1].Value);
        Assert.Equal(new[] { 3, 3 }, (int[])command.Parameters[5].Value!);
        var opened = (Guid[])command.Parameters[8].Value!;
        Assert.Equal([one.Write.Result.OpenedTasks[0].Id, two.Write.Result.OpenedTasks[0].Id], opened);
        var closed = (Guid[])command.Parameters[8 + 19].Value!;
        Assert.Equal([one.Write.Result.ClosedTasks[0].Task.Id, two.Write.Result.ClosedTasks[0].Task.Id], closed);
    }

    [Fact]
    public void Rows_AreNull_WhenTheInstanceIsNew()
    {
        var built = new BuiltFlowWrite(Approval() with { ExpectedRowVersion = null });

        Assert.Null(built.Rows);
        Assert.Equal(FlowStore.Commands(built.Write).Select(c => c.CommandText), built.TakeStatements().Select(c => c.CommandText));
    }

    private static FlowWrite Approval()
    {
        var recordId = Guid.NewGuid();
        var task = new FlowTask { Id = Guid.NewGuid(), Step = "a", Assignee = "cs01" };
        var next = new FlowTask { Id = Guid.NewGuid(), Step = "b", Assignee = "cs01" };
        var instance = new FlowInstance { Id = Guid.NewGuid(), App = "after_sales", Flow = "t", Version = 1, Entity = "customer", RecordId = recordId, Tasks = [next] };
        var now = DateTimeOffset.UtcNow;
        var result = new FlowResult { Instance = instance };
        result.ClosedTasks.Add(new TaskClosure(task, "done", "approve", "cs01", now, "同意"));
        result.OpenedTasks.Add(next);
        result.RecordChanges["status"] = "已审核";
        return new FlowWrite
        {
            Result = result,
            Definition = new FlowDefinition { Key = "t", Name = "t", Entity = "customer" },
            ExpectedRowVersion = 3,
            RecordBefore = new JsonObject { ["name"] = "甲", ["status"] = "待审核" },
            RecordTitle = "t",
            By = "cs01",
            Now = now,
            Directory = new DictionaryFlowDirectory([]),
        };
    }
}
