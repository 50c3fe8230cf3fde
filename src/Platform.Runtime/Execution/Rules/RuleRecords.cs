using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Record reads and writes inside a rule chain's transaction: rows are locked (<c>FOR UPDATE</c>) before they are
/// changed, so concurrent chains adjusting one record queue instead of losing updates; every change is audited
/// and becomes an event for the next level of the chain.
/// </summary>
public sealed class RuleRecords(RecordStore store, RecordValidation validation)
{
    public Task<StoredRecord?> LoadForUpdateAsync(RuleChain chain, Guid id, CancellationToken ct) =>
        store.GetForUpdateAsync(chain.App.Key, id, chain.Connection, chain.Transaction, ct);

    /// <summary>Validates <paramref name="fields"/> on the record with the form engine, writes and audits the change; the event, or null when nothing changed.</summary>
    public async Task<RuleEvent?> SetFieldsAsync(RuleChain chain, EntityDefinition entity, Guid id, JsonObject fields, string by, CancellationToken ct)
    {
        var existing = await LoadForUpdateAsync(chain, id, ct) ?? throw new RuleActionException($"记录 {id} 不存在");
        var granted = fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var validated = await validation.ValidateAsync(chain.App, entity, fields, existing.Data, by, chain.Now, false, null, ct, granted: granted);
        if (!validated.IsValid)
        {
            throw new RuleActionException("字段校验失败 / invalid values: " + string.Join("; ", validated.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        return await WriteAsync(chain, entity, existing, validated.Data, by, ct);
    }

    /// <summary>Writes new data for a locked record with its audit row; the update event, or null when nothing changed.</summary>
    public async Task<RuleEvent?> WriteAsync(RuleChain chain, EntityDefinition entity, StoredRecord existing, JsonObject data, string by, CancellationToken ct)
    {
        var changes = RecordDiff.Changes(existing.Data, data);
        if (changes.Count == 0)
        {
            return null;
        }

        // The row is locked by this transaction, so the version read with it still holds.
        await store.UpdateAsync(existing, existing.Version, data, changes, chain.App.Version, by, chain.Now, ct, chain.Connection, chain.Transaction);
        chain.Records[existing.Id] = data;
        return new RuleEvent
        {
            Type = RuleTriggerTypes.RecordUpdated, App = chain.App.Key, Entity = entity.Key, RecordId = existing.Id,
            Record = data, Old = existing.Data, Changed = changes.Select(c => c.Key).ToList(), By = by,
        };
    }

    /// <summary>Records of <paramref name="entity"/> matching query conditions (values already evaluated), in order, locked when asked.</summary>
    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(
        RuleChain chain, EntityDefinition entity, JsonArray where, JsonArray? orderBy, int limit, bool lockRows, CancellationToken ct)
    {
        var filters = new List<string>();
        foreach (var c in where.OfType<JsonObject>())
        {
            var value = c["value"] switch
            {
                null => string.Empty,
                JsonArray a => string.Join('|', a.Select(v => v?.ToString())),
                var v => v.ToString(),
            };
            filters.Add($"{c["field"]}:{c["op"]}:{value}");
        }

        var sort = orderBy is { Count: > 0 }
            ? string.Join(',', orderBy.OfType<JsonObject>().Select(o => (o["desc"]?.GetValue<bool>() == true ? "-" : string.Empty) + o["field"]))
            : null;
        var (query, errors) = RecordQueryCompiler.Compile(chain.App.Key, entity, filters, sort, null, "200");
        if (query is null)
        {
            throw new RuleActionException("查询条件无效 / invalid query: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        await using var cmd = chain.Command(
            $"select {RecordStore.Columns} from records where {query.Where} order by {query.OrderBy} limit {Math.Clamp(limit, 1, 1000)}{(lockRows ? " for update" : string.Empty)}");
        foreach (var p in query.Parameters)
        {
            cmd.Parameters.Add(p.Clone());
        }

        var list = new List<StoredRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(RecordStore.Read(reader));
        }

        return list;
    }
}
