using Npgsql;
using Platform.Runtime.Execution.Access;

namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// Runs one organisation change (users, departments, roles) in a transaction serialised with every other one (an
/// advisory lock, so checks like "no user in this department" hold until commit, on every node), and afterwards
/// forgets this node's cached organisation; other nodes see the change when their caches expire (10 s).
/// </summary>
public sealed class OrganisationWriter(NpgsqlDataSource dataSource, OrganisationCache organisation, FlowDirectoryCache directory)
{
    private const long LockKey = 0x6f7267_61646d696e; // "org" "admin"

    public async Task<CommandResult<T>> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<CommandResult<T>>> change, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        var result = await change(connection, transaction);
        if (result.Outcome != CommandOutcome.Ok)
        {
            await transaction.RollbackAsync(ct);
            return result;
        }

        await transaction.CommitAsync(ct);
        organisation.Invalidate();
        directory.Invalidate();
        return result;
    }
}
