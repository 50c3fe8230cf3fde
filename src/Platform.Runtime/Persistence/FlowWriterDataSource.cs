using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The connections group-committed flow writes go on (<see cref="FlowStore.WriteAsync"/>, <see cref="FlowStore.WriteManyAsync"/>):
/// the platform's database, in a pool of their own whose sessions plan every prepared statement generically. Their statements
/// look rows up by key whatever the values, and the batch statement's array parameters (<see cref="FlowBatchRows"/>) would
/// otherwise make PostgreSQL plan it afresh on every execution (a custom plan sized to the arrays always looks cheaper).
/// Reports and searches keep the main pool's default planning.
/// </summary>
public sealed class FlowWriterDataSource(NpgsqlDataSource dataSource)
{
    /// <summary>A pool over <paramref name="platform"/>'s database for <paramref name="writers"/> writers (and a spare for a write going alone).</summary>
    public static FlowWriterDataSource Create(NpgsqlConnectionStringBuilder platform, int writers)
    {
        var writer = new NpgsqlConnectionStringBuilder(platform.ConnectionString)
        {
            Options = $"{platform.Options} -c plan_cache_mode=force_generic_plan".Trim(),
            MaxPoolSize = Math.Max(1, writers) + 2,
            MinPoolSize = 0,
        };
        return new FlowWriterDataSource(NpgsqlDataSource.Create(writer));
    }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => dataSource.OpenConnectionAsync(ct);
}
