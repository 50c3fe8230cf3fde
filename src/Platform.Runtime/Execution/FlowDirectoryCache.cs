using Npgsql;
using Platform.Core.Flows.Runtime;

namespace Platform.Runtime.Execution;

/// <summary>Who holds which role and department, read from the users table and refreshed every few seconds.</summary>
public sealed class FlowDirectoryCache(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private long generation;
    private (DictionaryFlowDirectory Directory, DateTimeOffset At)? current;

    public async ValueTask<IFlowDirectory> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (current is { } c && now - c.At < Freshness)
        {
            return c.Directory;
        }

        await gate.WaitAsync(ct);
        try
        {
            var readFor = Interlocked.Read(ref generation);
            if (current is { } again && now - again.At < Freshness)
            {
                return again.Directory;
            }

            var users = new List<(string, IEnumerable<string>, string?)>();
            await using var cmd = dataSource.CreateCommand("select user_name, roles, department from users where is_active order by user_name");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                users.Add((reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }

            var directory = new DictionaryFlowDirectory(users);
            // Read before an Invalidate that came in meanwhile: serve it this once, but do not keep it.
            if (Interlocked.Read(ref generation) == readFor)
            {
                current = (directory, now);
            }

            return directory;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forget the snapshot (users or roles changed on this node).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        current = null;
    }
}
