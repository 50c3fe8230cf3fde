using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Api;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// A verified customer's requests: every record of the portal's tracked entities whose phone field is the session's
/// phone, newest first, and the one record a signed tracking link points at. Only number, type, status, the allowed
/// fields and the public flow history leave here.
/// </summary>
public sealed class CustomerRequests(AppCatalog catalog, NpgsqlDataSource dataSource, TrackingLinks links, CustomerOffers offers)
{
    /// <summary>Most requests listed for one phone (newest first).</summary>
    public const int MaxItems = 100;

    /// <summary>The requests of <paramref name="session"/>'s phone in its app; empty when the portal is off.</summary>
    public async Task<IReadOnlyList<CustomerRequest>> ListAsync(CustomerSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (await catalog.GetAsync(session.App, ct) is not { CustomerPortal: { Enabled: true } portal } app)
        {
            return [];
        }

        var plans = portal.Resolve(app);
        if (plans.Count == 0)
        {
            return [];
        }

        var rows = new List<(CustomerTrackedEntityPlan Plan, Guid Id, JsonObject Data, DateTimeOffset CreatedAt)>();
        await using (var batch = dataSource.CreateBatch())
        {
            foreach (var plan in plans)
            {
                // The phone expression is the indexed one (FieldSql), so an indexed phone field is an index lookup.
                var command = new NpgsqlBatchCommand(
                    $"select id, data::text, created_at from records where app_key = $1 and entity_key = $2 and {FieldSql.Expression(plan.Phone)} = $3 order by created_at desc limit {MaxItems}");
                command.Parameters.Add(new NpgsqlParameter { Value = app.Key });
                command.Parameters.Add(new NpgsqlParameter { Value = plan.Entity.Key });
                command.Parameters.Add(new NpgsqlParameter { Value = session.Phone });
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            foreach (var plan in plans)
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((plan, reader.GetGuid(0), JsonNode.Parse(reader.GetString(1))!.AsObject(), reader.GetFieldValue<DateTimeOffset>(2)));
                }

                await reader.NextResultAsync(ct);
            }
        }

        var newest = rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(MaxItems).ToList();
        var timelines = await TimelinesAsync(newest.Select(r => r.Id).ToArray(), ct);
        var summaries = await SummariesAsync(app, newest.Select(r => (r.Plan, r.Data)).ToList(), ct);
        var offered = await offers.ForAsync(app, newest.Select(r => (r.Plan.Entity, r.Id, r.Data)).ToList(), ct);
        return newest.Select((r, i) => Describe(app.Key, r.Plan, r.Data, r.CreatedAt, (timelines.TryGetValue(r.Id, out var f) ? f : null))
            with { Summary = summaries[i].Zh, SummaryEn = summaries[i].En, Offers = offered[i] }).ToList();
    }

    /// <summary>The record a tracking link points at, as its customer sees it; null for a bad, expired or dead link.</summary>
    public async Task<CustomerRequest?> OpenLinkAsync(string? token, CancellationToken ct)
    {
        if (await links.RecordIdAsync(token, ct) is not { } id)
        {
            return null;
        }

        string appKey, entityKey;
        JsonObject data;
        DateTimeOffset createdAt;
        await using (var cmd = dataSource.CreateCommand("select app_key, entity_key, data::text, created_at from records where id = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (appKey, entityKey, data, createdAt) = (reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject(), reader.GetFieldValue<DateTimeOffset>(3));
        }

        if (await catalog.GetAsync(appKey, ct) is not { } app || CustomerPortalDefinition.Find(app, entityKey) is not { } plan)
        {
            return null;
        }

        var timelines = await TimelinesAsync([id], ct);
        var summaries = await SummariesAsync(app, [(plan, data)], ct);
        var offered = await offers.ForAsync(app, [(plan.Entity, id, data)], ct);
        return Describe(app.Key, plan, data, createdAt, (timelines.TryGetValue(id, out var f) ? f : null))
            with { Summary = summaries[0].Zh, SummaryEn = summaries[0].En, Offers = offered[0] };
    }

    /// <summary>
    /// Each record's summary text in Chinese and English (option labels, 是/否 differ); a reference (or a lookup holding one)
    /// by the referenced record's display label only, the same in both.
    /// </summary>
    private async Task<IReadOnlyList<(string? Zh, string? En)>> SummariesAsync(AppDefinition app, IReadOnlyList<(CustomerTrackedEntityPlan Plan, JsonObject Data)> records, CancellationToken ct)
    {
        var lookups = new ExportLookups(app.Key);
        // Planned among all the entity's fields: a lookup's reference is found through its source field.
        var plans = records.Select(r => r.Plan.Summary is { } field ? ExportFieldPlan.For(app, r.Plan.Entity.Fields).FirstOrDefault(p => p.Key == field.Key) : null).ToList();
        for (var i = 0; i < records.Count; i++)
        {
            if (plans[i] is { } plan)
            {
                ExportCells.Collect(plan, records[i].Data[plan.Key], lookups);
            }
        }

        if (plans.Any(p => p?.Kind == ExportFieldKind.Reference))
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await lookups.ResolveAsync(connection, null, ct);
        }

        static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
        return records.Select((r, i) =>
        {
            if (plans[i] is not { } plan)
            {
                return ((string?)null, (string?)null);
            }

            if (plan.Kind == ExportFieldKind.Reference)
            {
                var label = NonEmpty(ExportCells.Format(plan, r.Data[plan.Key], lookups) as string);
                return (label, label);
            }

            return (NonEmpty(Format(r.Plan.Summary!, r.Data[plan.Key], english: false)), NonEmpty(Format(r.Plan.Summary!, r.Data[plan.Key], english: true)));
        }).ToList();
    }

    private static CustomerRequest Describe(string app, CustomerTrackedEntityPlan plan, JsonObject data, DateTimeOffset createdAt, (string Status, List<FlowHistoryDto> Timeline)? flow)
    {
        var number = Text(data[plan.Number.Key]) ?? string.Empty;
        var statusValue = plan.Status is { } s ? Text(data[s.Key]) : null;
        var status = statusValue ?? flow?.Status ?? "submitted";
        var statusOption = plan.Status?.Options?.FirstOrDefault(o => o.Value == status);
        var type = plan.Type is { } t ? Text(data[t.Key]) : null;
        var typeOption = plan.Type?.Options?.FirstOrDefault(o => o.Value == type);
        var tracking = new TrackingResult(number, status, statusOption?.Label, flow?.Status, TrackingLookup.Compact(flow?.Timeline ?? []));
        var fields = plan.Fields.Select(f =>
        {
            var value = data[f.Key];
            return new CustomerField(f.Key, f.Label ?? f.Key, f.LabelEn, value?.DeepClone(), Format(f, value, english: false), Format(f, value, english: true));
        }).ToList();
        return new CustomerRequest(app, plan.Entity.Key, plan.Entity.Label, plan.Entity.LabelEn, type, typeOption?.Label, typeOption?.LabelEn,
            statusOption?.LabelEn, statusOption?.Color, createdAt, fields, tracking);
    }

    /// <summary>A plain value as the customer reads it: option labels, 是/否, money as ¥1,234.50, numbers at their scale, times in China time.</summary>
    public static string Format(FieldDefinition field, JsonNode? value, bool english)
    {
        ArgumentNullException.ThrowIfNull(field);
        string OptionLabel(string v) => field.Options?.FirstOrDefault(o => o.Value == v) is { } o ? (english && o.LabelEn is { Length: > 0 } en ? en : o.Label) : v;
        return value switch
        {
            null => string.Empty,
            JsonArray items => string.Join(english ? ", " : "、", items.Select(i => Text(i) is { } v ? OptionLabel(v) : string.Empty)),
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? (english ? "Yes" : "是") : (english ? "No" : "否"),
            JsonValue v when field.Type == "datetime" && DateTimeOffset.TryParse(Text(v), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) =>
                ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            JsonValue v when field.Type is "select" => OptionLabel(Text(v) ?? string.Empty),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && field.Type == "money" => "¥" + v.GetValue<decimal>().ToString("N2", CultureInfo.InvariantCulture),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && field.Scale is { } scale and >= 0 and <= 10 =>
                v.GetValue<decimal>().ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            _ => Text(value) ?? string.Empty,
        };
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>The public history of each record's newest flow, in one query.</summary>
    private async Task<Dictionary<Guid, (string Status, List<FlowHistoryDto> Timeline)>> TimelinesAsync(Guid[] ids, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (string Status, List<FlowHistoryDto> Timeline)>();
        if (ids.Length == 0)
        {
            return result;
        }

        await using var cmd = dataSource.CreateCommand("""
            with i as (select distinct on (record_id) id, record_id, status from flow_instances where record_id = any($1) order by record_id, started_at desc)
            select i.record_id, i.status, h.seq, h.step, h.step_name, h.action, h.by, h.at, h.comment, h.to_value
            from i left join flow_history h on h.instance_id = i.id and h.public order by i.record_id, h.seq
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (!result.TryGetValue(id, out var entry))
            {
                entry = (reader.GetString(1), []);
                result[id] = entry;
            }

            if (!reader.IsDBNull(2))
            {
                entry.Timeline.Add(new FlowHistoryDto(reader.GetInt32(2), reader.GetString(3), Str(reader, 4), reader.GetString(5), reader.GetString(6),
                    reader.GetFieldValue<DateTimeOffset>(7), Str(reader, 8), Str(reader, 9), null));
            }
        }

        return result;
    }

    private static string? Str(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
