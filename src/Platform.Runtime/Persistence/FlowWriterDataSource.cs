using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The session group-committed flow writes go on (<see cref="FlowStore.WriteAsync"/>, <see cref="FlowStore.WriteManyAsync"/>):
/// one connection to the platform's database, multiplexed, so a batch is sent while the batches before it are still running
/// and the server starts it the moment the one before commits. The session's backend is never idle between batches waiting
/// for the runtime to read a result and send the next one, and it stays one backend, so batches stay larger than several
/// sessions would make them (each session a further commit taking its share of the queue). Each batch is its own implicit
/// transaction ending in its own Sync: one that fails is rolled back alone, and the ones behind it run in
/// their own transactions.
/// <para>
/// The session plans every prepared statement generically. Its statements look rows up by key whatever the values, and the
/// batch statement's array parameters (<see cref="FlowBatchRows"/>) would otherwise make PostgreSQL plan it afresh on every
/// execution (a custom plan sized to the arrays always looks cheaper). Reports and searches keep the main pool's planning.
/// </para>
/// </summary>
public sealed class FlowWriterDataSource(NpgsqlDataSource dataSource)
{
    /// <summary>What the writer's session is called in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "platform-flow-writer";

    /// <summary>A multiplexed single-session data source over <paramref name="platform"/>'s database.</summary>
    public static FlowWriterDataSource Create(NpgsqlConnectionStringBuilder platform)
    {
        var writer = new NpgsqlConnectionStringBuilder(platform.ConnectionString)
        {
            Options = $"{platform.Options} -c plan_cache_mode=force_generic_plan -c statement_timeout={StatementTimeout(platform)}s".Trim(),
            Multiplexing = true,
            MaxPoolSize = 1,
            MinPoolSize = 0,
            ApplicationName = ApplicationName,
        };
        return new FlowWriterDataSource(NpgsqlDataSource.Create(writer));
    }

    /// <summary>
    /// The server's limit on one statement of the writer's session: two thirds of the connection's <c>Timeout</c>. Npgsql applies
    /// no command timeout to a multiplexed command, and its read of the session's results gives up after about <c>Timeout</c>,
    /// breaking the session and failing every batch in flight with its commit unknown. A statement stuck on a lock (a row a
    /// long rule-chain transaction holds) is cancelled by the server first: its batch fails with an error, nothing of it
    /// committed, and its writes are tried again alone.
    /// </summary>
    private static int StatementTimeout(NpgsqlConnectionStringBuilder platform) => Math.Max(1, platform.Timeout * 2 / 3);

    /// <summary>A batch to run on the writer's session, pipelined behind the ones in flight.</summary>
    public NpgsqlBatch CreateBatch() => dataSource.CreateBatch();
}
