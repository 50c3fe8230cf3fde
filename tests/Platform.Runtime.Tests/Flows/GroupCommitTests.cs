using Platform.Runtime.Persistence;

namespace Platform.Runtime.Tests.Flows;

/// <summary>How <see cref="GroupCommit{TWrite, TResult}"/> hands writes to its writers, on fake writes held open by the test.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task WriteAsync_StartsASecondWriterOnlyForABatch_NotForALoneWrite_WhileTheFirstIsInFlight()
    {
        var database = new FakeDatabase();
        var commit = new GroupCommit<int, int>(database.WriteOneAsync, database.WriteManyAsync, max: 32, writers: 2);

        // 1 goes at once, alone, and stays in flight.
        var one = commit.WriteAsync(1, CancellationToken.None);
        Assert.Equal(["1"], database.Sent);

        // 2 arrives while 1 is in flight: it waits for a batch rather than costing a commit of its own on the second writer.
        var two = commit.WriteAsync(2, CancellationToken.None);
        Assert.Equal(["1"], database.Sent);
        Assert.Equal(1, commit.Queued);

        // 3 makes two waiting: the second writer sends them together while 1 is still in flight.
        var three = commit.WriteAsync(3, CancellationToken.None);
        await database.WaitForAsync(2);
        Assert.Equal(["1", "2+3"], database.Sent);
        Assert.Equal(0, commit.Queued);

        database.Finish("2+3");
        var batched = await Task.WhenAll(two, three);
        Assert.Equal([20, 30], batched);
        Assert.False(one.IsCompleted);
        database.Finish("1");
        Assert.Equal(10, await one);
    }

    [Fact]
    public async Task WriteAsync_StartsASecondWriterOnlyWhenFurtherAreWaiting_WhenTheThresholdIsAboveTwo()
    {
        var database = new FakeDatabase();
        var commit = new GroupCommit<int, int>(database.WriteOneAsync, database.WriteManyAsync, max: 32, writers: 2, further: 3);
        var one = commit.WriteAsync(1, CancellationToken.None);

        // Two waiting are not enough for a further batch: they wait for the one in flight, to go in a larger batch.
        var waiting = new List<Task<int>> { commit.WriteAsync(2, CancellationToken.None), commit.WriteAsync(3, CancellationToken.None) };
        Assert.Equal(["1"], database.Sent);
        Assert.Equal(2, commit.Queued);

        // The third makes three: the second writer sends them together while 1 is still in flight.
        waiting.Add(commit.WriteAsync(4, CancellationToken.None));
        await database.WaitForAsync(2);
        Assert.Equal(["1", "2+3+4"], database.Sent);

        database.Finish("2+3+4");
        var batched = await Task.WhenAll(waiting);
        Assert.Equal([20, 30, 40], batched);
        database.Finish("1");
        Assert.Equal(10, await one);
    }

    [Fact]
    public async Task WriteAsync_TheWriterInFlightTakesALoneWaitingWrite_WhenItsCommitIsDone()
    {
        var database = new FakeDatabase();
        var commit = new GroupCommit<int, int>(database.WriteOneAsync, database.WriteManyAsync, max: 32, writers: 2);
        var one = commit.WriteAsync(1, CancellationToken.None);
        var two = commit.WriteAsync(2, CancellationToken.None);
        Assert.Equal(["1"], database.Sent);
        Assert.Equal(1, commit.Queued);

        database.Finish("1");
        Assert.Equal(10, await one);
        await database.WaitForAsync(2);
        Assert.Equal(["1", "2"], database.Sent);
        database.Finish("2");
        Assert.Equal(20, await two);
    }

    /// <summary>Writes that stay in flight until the test finishes them; each answers ten times its value.</summary>
    private sealed class FakeDatabase
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, TaskCompletionSource> inFlight = [];

        public List<string> Sent { get; } = [];

        public async Task<int> WriteOneAsync(int write, CancellationToken ct)
        {
            await Send(write.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return write * 10;
        }

        public async Task<int[]> WriteManyAsync(IReadOnlyList<int> writes, CancellationToken ct)
        {
            await Send(string.Join('+', writes));
            return writes.Select(w => w * 10).ToArray();
        }

        public void Finish(string sent)
        {
            lock (gate)
            {
                inFlight[sent].SetResult();
            }
        }

        public async Task WaitForAsync(int count)
        {
            for (var i = 0; i < 500 && Count() < count; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(count, Count());
        }

        private int Count()
        {
            lock (gate)
            {
                return Sent.Count;
            }
        }

        private Task Send(string batch)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                Sent.Add(batch);
                inFlight[batch] = done;
            }

            return done.Task;
        }
    }
}
