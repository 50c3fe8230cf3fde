using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The id of a batch's implicit transaction, asked for by the batch's first statement: the <c>xmin</c> every row the batch
/// writes outside a subtransaction gets, so what it wrote can be cached with the value a later write is guarded by
/// (<see cref="FlowInstanceCache"/>).
/// </summary>
public static class TransactionId
{
    /// <summary>Puts the question first in <paramref name="batch"/>.</summary>
    public static void AskFirst(NpgsqlBatch batch) => batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("select xid(pg_current_xact_id())"));

    /// <summary>Reads the answer (the reader's first result) and moves on to the next result.</summary>
    public static async Task<uint> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var xid = await reader.ReadAsync(ct) ? reader.GetFieldValue<uint>(0) : 0;
        await reader.NextResultAsync(ct);
        return xid;
    }
}
