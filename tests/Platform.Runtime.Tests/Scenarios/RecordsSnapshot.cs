using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// The after-sales records a viewer may read, read straight from PostgreSQL (no report code involved): everything for
/// an administrator; for cs01 (customer service, department cs_east) the return and service requests of the department
/// scope — owned by cs_east, created by cs01, naming cs01 in a user field, or with a task cs01 holds, decided, or may
/// take from the customer-service queue — and every order, product and feedback (customer service reads them all).
/// </summary>
internal sealed class RecordsSnapshot
{
    private const string Cs01Scope = """
        (r.owner_department = 'cs_east' or r.created_by = 'cs01' or r.data->>'engineer_user' = 'cs01'
         or exists (select 1 from flow_instances si join flow_tasks st on st.instance_id = si.id where si.record_id = r.id
                    and (st.assignee = 'cs01' or st.closed_by = 'cs01' or (st.assignee is null and st.status = 'open' and st.role = 'customer_service'))))
        """;

    public required DateTimeOffset Now { get; init; }

    public required List<RawRecord> Returns { get; init; }

    public required List<RawRecord> Orders { get; init; }

    public required Dictionary<Guid, RawRecord> Products { get; init; }

    public required List<RawRecord> Tickets { get; init; }

    /// <summary>Every service request, readable or not: feedback is grouped by its request's engineer whoever may read the request.</summary>
    public required Dictionary<Guid, RawRecord> AllTickets { get; init; }

    public required List<RawRecord> Feedback { get; init; }

    public required List<RawVisit> ReturnVisits { get; init; }

    /// <param name="taskSteps">The task and approval steps of return_flow (the steps a stay is measured in).</param>
    public static async Task<RecordsSnapshot> LoadAsync(PlatformFixture platform, string viewer, IReadOnlySet<string> taskSteps)
    {
        var scoped = viewer switch
        {
            "admin" => "true",
            "cs01" => Cs01Scope,
            _ => throw new ArgumentOutOfRangeException(nameof(viewer), viewer, "only admin and cs01 are modelled"),
        };
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var tickets = await RecordsAsync(connection, "service_request", scoped);
        var all = scoped == "true" ? tickets : await RecordsAsync(connection, "service_request", "true");
        return new RecordsSnapshot
        {
            Now = now,
            Returns = await RecordsAsync(connection, "return_request", scoped),
            Orders = await RecordsAsync(connection, "sales_order", "true"),
            Products = (await RecordsAsync(connection, "product", "true")).ToDictionary(p => p.Id),
            Tickets = tickets,
            AllTickets = all.ToDictionary(t => t.Id),
            Feedback = await RecordsAsync(connection, "feedback", "true"),
            ReturnVisits = await VisitsAsync(connection, scoped, taskSteps),
        };
    }

    private static async Task<List<RawRecord>> RecordsAsync(NpgsqlConnection connection, string entity, string scope)
    {
        await using var cmd = new NpgsqlCommand($"""
            select r.id, r.created_at, r.data::text, (select i.ended_at from flow_instances i where i.record_id = r.id order by i.started_at desc limit 1)
            from records r where r.app_key = 'after_sales' and r.entity_key = $1 and {scope}
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = entity });
        var list = new List<RawRecord>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(new RawRecord(
                reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), JsonNode.Parse(reader.GetString(2))!.AsObject(),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return list;
    }

    /// <summary>Walks each return_flow history in order: a stay in a task step lasts from its enter to the next enter or end.</summary>
    private static async Task<List<RawVisit>> VisitsAsync(NpgsqlConnection connection, string scope, IReadOnlySet<string> taskSteps)
    {
        await using var cmd = new NpgsqlCommand($"""
            select i.id, r.id, r.created_at, h.step, h.action, h.at
            from flow_history h join flow_instances i on i.id = h.instance_id join records r on r.id = i.record_id
            where i.app_key = 'after_sales' and i.flow_key = 'return_flow' and {scope}
            order by i.id, h.seq
            """, connection);
        var entries = new List<(Guid Instance, Guid Record, DateTimeOffset Created, string Step, string Action, DateTimeOffset At)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                entries.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        var visits = new List<RawVisit>();
        foreach (var history in entries.GroupBy(e => e.Instance))
        {
            var list = history.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var entry = list[i];
                if (entry.Action != "enter" || !taskSteps.Contains(entry.Step))
                {
                    continue;
                }

                var left = list.Skip(i + 1).FirstOrDefault(n => n.Action is "enter" or "end");
                visits.Add(new RawVisit(entry.Record, entry.Created, entry.Step, entry.At, left == default ? null : left.At));
            }
        }

        return visits;
    }
}
