using Npgsql;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// The organisation (departments, active users' roles and departments) read from PostgreSQL and kept for a few
/// seconds; every node reads the same tables, so a change made on one node applies on all within <see cref="Freshness"/>.
/// </summary>
public sealed class OrganisationCache(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private long generation;
    private (OrganisationSnapshot Snapshot, DateTimeOffset At)? current;

    public async ValueTask<OrganisationSnapshot> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (current is { } c && now - c.At < Freshness && now >= c.At)
        {
            return c.Snapshot;
        }

        await gate.WaitAsync(ct);
        try
        {
            var readFor = Interlocked.Read(ref generation);
            if (current is { } again && now - again.At < Freshness && now >= again.At)
            {
                return again.Snapshot;
            }

            var departments = new List<(string, string?)>();
            var users = new List<(string, string[], string?, bool)>();
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select key, parent_key from departments"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select user_name, roles, department, is_external from users where is_active"));
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    departments.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }

                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    users.Add((reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3)));
                }
            }

            var snapshot = new OrganisationSnapshot(departments, users);
            // Read before an Invalidate that came in meanwhile: serve it this once, but do not keep it.
            if (Interlocked.Read(ref generation) == readFor)
            {
                current = (snapshot, now);
            }

            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forget the snapshot (users, roles or departments changed on this node).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        current = null;
    }
}
