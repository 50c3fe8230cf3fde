using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// What the attack tests share: the attack lab app (a small entity with hidden and read-only fields per role, a flow,
/// a report), requests with If-Match, problem bodies compared without their trace ids, and the database read directly,
/// so every "nothing changed" and every "exactly these records" is checked against PostgreSQL, not against the API.
/// </summary>
internal static class Attack
{
    public const string App = "/api/apps/after_sales";
    public const string Lab = "attack_lab";
    public const string LabApi = "/api/apps/" + Lab;

    /// <summary>Imports the lab once per fixture.</summary>
    public static async Task EnsureLabAsync(PlatformFixture platform)
    {
        if (await platform.CountAsync("select count(*) from apps where key = $1", Lab) == 0)
        {
            using var admin = await platform.ClientForAsync("admin");
            await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", LabPackage()), HttpStatusCode.Created);
        }
    }

    public static JsonObject LabPackage() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "Fixtures", "attack-lab.json")))!.AsObject();

    public static JsonObject Body(JsonObject data) => new() { ["data"] = data };

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The status and the body with its trace id removed and <paramref name="id"/> replaced, for comparing two refusals.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> RefusalAsync(HttpResponseMessage response, string? id = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (id is not null)
        {
            text = text.Replace(id, "{id}", StringComparison.Ordinal);
        }

        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json") || text.Length == 0)
        {
            // Not a problem at all (the attack got the resource): the status and the size say enough.
            return (response.StatusCode, $"{response.Content.Headers.ContentType} ({text.Length} characters)");
        }

        var node = JsonNode.Parse(text);
        if (node is JsonObject obj)
        {
            obj.Remove("traceId");
        }

        return (response.StatusCode, node?.ToJsonString() ?? string.Empty);
    }

    /// <summary>A record's row as stored (version, data, audit, owner), to prove an attack changed nothing.</summary>
    public static Task<string?> RowAsync(PlatformFixture platform, Guid id) => ScalarAsync<string>(
        platform,
        "select concat_ws('|', r.entity_key, r.version, r.data::text, r.updated_by, r.updated_at, r.created_by, r.owner_department, (select count(*) from record_audit a where a.record_id = r.id)) from records r where r.id = $1",
        id);

    public static async Task<T?> ScalarAsync<T>(PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> ColumnAsync<T>(PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var list = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }

    public static async Task ExecuteAsync(PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The ids of <paramref name="entity"/> records a customer-service user may read, written out here independently of
    /// the product's RowScopeSql: created by them, owned by their department, named in a user field, or with a flow task
    /// they hold or held (or one waiting, unassigned, in the customer-service queue).
    /// </summary>
    public static async Task<HashSet<Guid>> VisibleToCustomerServiceAsync(PlatformFixture platform, string entity, string user, string department)
    {
        var userFields = entity == "service_request" ? " or r.data->>'engineer_user' = $2" : string.Empty;
        return (await ColumnAsync<Guid>(platform, $"""
            select r.id from records r
            where r.app_key = 'after_sales' and r.entity_key = $1
              and (r.created_by = $2 or r.owner_department = $3{userFields}
                or exists (select 1 from flow_instances i join flow_tasks t on t.instance_id = i.id
                           where i.record_id = r.id and (t.assignee = $2 or t.closed_by = $2 or (t.assignee is null and t.status = 'open' and t.role = 'customer_service'))))
            """, entity, user, department)).ToHashSet();
    }

    /// <summary>Records of another department the user may not read (by <see cref="VisibleToCustomerServiceAsync"/>).</summary>
    public static async Task<List<Guid>> ForeignAsync(PlatformFixture platform, string entity, string user, string department, string otherDepartment)
    {
        var visible = await VisibleToCustomerServiceAsync(platform, entity, user, department);
        var all = await ColumnAsync<Guid>(platform, "select id from records where app_key = 'after_sales' and entity_key = $1 and owner_department = $2 order by id", entity, otherDepartment);
        return all.Where(id => !visible.Contains(id)).ToList();
    }

    /// <summary>Every id in a paged list (records list or drill), following pages of at most 200.</summary>
    public static async Task<(List<Guid> Ids, long Total)> AllPagesAsync(HttpClient client, string url)
    {
        var ids = new List<Guid>();
        long total = 0;
        for (var page = 1; page < 100; page++)
        {
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var body = await ApiAssert.JsonAsync(await client.GetAsync($"{url}{separator}page={page}&pageSize=200"), HttpStatusCode.OK);
            total = body["total"]!.GetValue<long>();
            var items = body["items"]!.AsArray();
            ids.AddRange(items.Select(i => Guid.Parse(i!["id"]!.GetValue<string>())));
            if (items.Count < 200)
            {
                break;
            }
        }

        return (ids, total);
    }

    /// <summary>A single-item demo order with quantity ≥ 1 (a return against it fills product, quantity and price).</summary>
    public static async Task<string> SingleItemOrderAsync(PlatformFixture platform) =>
        (await ScalarAsync<string>(platform, """
            select data->>'order_no' from records
            where app_key = 'after_sales' and entity_key = 'sales_order' and jsonb_array_length(data->'items') = 1 and (data->'items'->0->>'quantity')::int >= 1
            order by id limit 1
            """))!;
}
