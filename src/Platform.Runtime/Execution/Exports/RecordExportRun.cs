using System.Runtime.CompilerServices;
using Npgsql;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// One record export in progress: its read-only snapshot (a connection and transaction it owns), the number of
/// matching records, the header, and the rows, fetched chunk by chunk through a cursor.
/// </summary>
public sealed class RecordExportRun : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly CompiledRecordQuery query;
    private readonly IReadOnlyList<ExportFieldPlan> fields;
    private readonly ExportLookups lookups;

    internal RecordExportRun(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ExportLookups lookups, CompiledRecordQuery query, IReadOnlyList<ExportFieldPlan> fields, IReadOnlyList<string> headers, long total)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.query = query;
        this.fields = fields;
        this.lookups = lookups;
        Headers = headers;
        Total = total;
    }

    /// <summary>How many records match (in this snapshot).</summary>
    public long Total { get; }

    /// <summary>编号, the field labels in form order, 创建时间, 创建人.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows in the query's order; read once.</summary>
    public async IAsyncEnumerable<object?[]> RowsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using (var declare = new NpgsqlCommand(
            $"declare export_rows no scroll cursor for select {RecordStore.Columns} from records where {query.Where} order by {query.OrderBy}", connection, transaction))
        {
            foreach (var p in query.Parameters)
            {
                declare.Parameters.Add(p.Clone());
            }

            await declare.ExecuteNonQueryAsync(ct);
        }

        var chunk = new List<StoredRecord>(RecordExporter.ChunkSize);
        while (true)
        {
            chunk.Clear();
            await using (var fetch = new NpgsqlCommand($"fetch forward {RecordExporter.ChunkSize} from export_rows", connection, transaction))
            await using (var reader = await fetch.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    chunk.Add(RecordStore.Read(reader));
                }
            }

            if (chunk.Count == 0)
            {
                yield break;
            }

            foreach (var record in chunk)
            {
                foreach (var field in fields)
                {
                    ExportCells.Collect(field, record.Data[field.Key], lookups);
                }

                lookups.WantUser(record.CreatedBy);
            }

            await lookups.ResolveAsync(connection, transaction, ct);
            foreach (var record in chunk)
            {
                var row = new object?[fields.Count + 3];
                row[0] = record.Id.ToString();
                for (var i = 0; i < fields.Count; i++)
                {
                    row[i + 1] = ExportCells.Format(fields[i], record.Data[fields[i].Key], lookups);
                }

                row[^2] = ExportCells.Moment(record.CreatedAt);
                row[^1] = lookups.User(record.CreatedBy);
                yield return row;
            }

            if (chunk.Count < RecordExporter.ChunkSize)
            {
                yield break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
