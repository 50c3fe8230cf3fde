using System.Data;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// Exports the records a list query matches (the list's own filter and sort, compiled by
/// <see cref="RecordQueryCompiler"/>): the columns are 编号, the entity's fields in form order under their labels,
/// 创建时间 and 创建人. It reads in one read-only snapshot, counting first (more than <see cref="MaxRows"/> is
/// refused before anything is sent) and then fetching <see cref="ChunkSize"/> rows at a time through a cursor, each
/// chunk's reference and user names resolved in one round trip.
/// </summary>
public sealed class RecordExporter(NpgsqlDataSource dataSource)
{
    /// <summary>Most records one export may hold.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Records fetched (and named) per round trip.</summary>
    public const int ChunkSize = 500;

    public const string IdHeader = "编号";

    public const string CreatedAtHeader = "创建时间";

    public const string CreatedByHeader = "创建人";

    /// <summary>The entity's fields in form order: the sections' fields first, then those no section places, in definition order.</summary>
    public static IReadOnlyList<FieldDefinition> FormOrder(EntityDefinition entity)
    {
        var placed = (entity.Form?.Sections ?? []).SelectMany(s => s.Fields).Select(entity.FindField).OfType<FieldDefinition>();
        return placed.Concat(entity.Fields).DistinctBy(f => f.Key).ToList();
    }

    /// <summary>
    /// Opens the snapshot and counts the matching records; the caller checks <see cref="RecordExportRun.Total"/> and reads the
    /// rows. <paramref name="hiddenLabels"/> as for <see cref="ExportLookups"/>.
    /// </summary>
    public async Task<RecordExportRun> OpenAsync(AppDefinition app, EntityDefinition entity, CompiledRecordQuery query, CancellationToken ct, Func<string, string, bool>? hiddenLabels = null)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            long total;
            await using (var count = new NpgsqlCommand($"select count(*) from records where {query.Where}", connection, transaction))
            {
                foreach (var p in query.Parameters)
                {
                    count.Parameters.Add(p.Clone());
                }

                total = (long)(await count.ExecuteScalarAsync(ct))!;
            }

            var fields = ExportFieldPlan.For(app, FormOrder(entity));
            var headers = new List<string> { IdHeader };
            headers.AddRange(fields.Select(f => f.Label));
            headers.Add(CreatedAtHeader);
            headers.Add(CreatedByHeader);
            return new RecordExportRun(connection, transaction, new ExportLookups(app.Key, hiddenLabels), query, fields, headers, total);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
