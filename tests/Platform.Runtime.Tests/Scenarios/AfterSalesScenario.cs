using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// What the scenario tests do as the template's users: create records, find and act on tasks in the actor's own inbox,
/// read flow instances, the customer's tracking timeline and the rule firing log, and let time pass for the timers.
/// </summary>
internal sealed class AfterSalesScenario(PlatformFixture platform)
{
    public const string Records = "/api/apps/after_sales/entities";

    public PlatformFixture Platform => platform;

    public Task<HttpClient> AsAsync(string user) => platform.ClientForAsync(user);

    /// <summary>A date <paramref name="daysAgo"/> days before today in China, as date fields hold it.</summary>
    public static string ChinaDate(int daysAgo) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-daysAgo).ToString("yyyy-MM-dd");

    public static string Id(JsonObject record) => record["id"]!.GetValue<string>();

    public static string? Text(JsonObject record, string field) => record["data"]![field]?.GetValue<string>();

    /// <summary>The active steps of a record's flow or of a task action's outcome.</summary>
    public static string[] Active(JsonObject recordOrOutcome) =>
        (recordOrOutcome["flow"]?["activeSteps"] ?? recordOrOutcome["activeSteps"])!.AsArray().Select(s => s!.GetValue<string>()).Order().ToArray();

    public static async Task<JsonObject> CreateAsync(HttpClient client, string entity, JsonObject data) =>
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/{entity}/records", new JsonObject { ["data"] = data }), HttpStatusCode.Created);

    public static async Task<JsonObject> GetAsync(HttpClient client, string entity, string id) =>
        await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/{entity}/records/{id}"), HttpStatusCode.OK);

    public static async Task<JsonObject> ListAsync(HttpClient client, string entity, string query) =>
        await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/{entity}/records?{query}"), HttpStatusCode.OK);

    /// <summary>A single-item order of <paramref name="quantity"/> × <paramref name="unitPrice"/> purchased <paramref name="daysAgo"/> days ago; returns its number.</summary>
    public static async Task<string> CreateOrderAsync(HttpClient client, int daysAgo, decimal unitPrice, int quantity = 2)
    {
        var customer = Id((await ListAsync(client, "customer", "filter=email:contains:%40&pageSize=1"))["items"]![0]!.AsObject());
        var product = Id((await ListAsync(client, "product", "pageSize=1"))["items"]![0]!.AsObject());
        var orderNo = $"SO-SCN-{Guid.NewGuid():N}"[..24];
        await CreateAsync(client, "sales_order", new JsonObject
        {
            ["order_no"] = orderNo, ["customer"] = customer, ["purchased_at"] = ChinaDate(daysAgo), ["channel"] = "tmall",
            ["items"] = new JsonArray(new JsonObject { ["product"] = product, ["quantity"] = quantity, ["unit_price"] = unitPrice }),
        });
        return orderNo;
    }

    /// <summary>A return or exchange of one unit of the order's only item, by the phone the customer tracks it with.</summary>
    public static Task<JsonObject> CreateReturnAsync(HttpClient client, string orderNo, string kind, string reason, string phone, int quantity = 1) =>
        CreateAsync(client, "return_request", new JsonObject
        {
            ["order_no"] = orderNo, ["customer_name"] = "周小燕", ["phone"] = phone, ["kind"] = kind, ["reason"] = reason,
            ["images"] = new JsonArray("scenario-img-1"), ["description"] = "场景测试：外壳开裂", ["quantity"] = quantity,
        });

    /// <summary>A service request as customer service types it in from a call.</summary>
    public static Task<JsonObject> CreateTicketAsync(HttpClient client, string type, string region, string? skill, string phone)
    {
        var data = new JsonObject
        {
            ["type"] = type, ["customer_name"] = "钱多多", ["phone"] = phone, ["description"] = $"场景测试：{type}", ["region"] = region,
            ["address"] = "上海市浦东新区世纪大道 100 号", ["priority"] = "normal",
        };
        if (skill is not null)
        {
            data["required_skill"] = skill;
        }

        return CreateAsync(client, "service_request", data);
    }

    /// <summary>The open task of the record at the step in the user's own inbox (assigned to them or to a role they hold), or null.</summary>
    public static async Task<JsonObject?> FindTaskAsync(HttpClient client, string recordId, string step)
    {
        var tasks = await client.GetFromJsonAsync<JsonArray>("/api/tasks?box=todo&limit=500");
        return tasks!.Select(t => t!.AsObject()).FirstOrDefault(t => t["recordId"]!.GetValue<string>() == recordId && t["step"]!.GetValue<string>() == step);
    }

    /// <summary>Acts on the record's task at the step from the user's inbox; the task must be there.</summary>
    public static async Task<JsonObject> ActAsync(
        HttpClient client, string recordId, string step, string action = "approve", string? comment = null, JsonObject? fields = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var task = await FindTaskAsync(client, recordId, step);
        Assert.True(task is not null, $"no open task at {step} for record {recordId} in this user's inbox");
        var body = new JsonObject { ["action"] = action };
        if (comment is not null)
        {
            body["comment"] = comment;
        }

        // The field visit closes only with the customer's signature (required at execute): the engineer uploads one.
        if (step == "execute" && action == "approve" && fields?["customer_signature"] is null)
        {
            fields ??= [];
            fields["customer_signature"] = new JsonArray(await Mobile.FieldJobs.UploadAsync(client, "customer_signature", Mobile.FieldJobs.TinyPng, "signature.png"));
        }

        if (fields is not null)
        {
            body["fields"] = fields;
        }

        return await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"/api/tasks/{task!["id"]}/actions", body), expected);
    }

    public static async Task<JsonObject> InstanceAsync(HttpClient client, JsonObject record) =>
        await ApiAssert.JsonAsync(await client.GetAsync($"/api/flows/instances/{record["flow"]!["instanceId"]}"), HttpStatusCode.OK);

    /// <summary>The (step, action, by) entries of the instance's history, without the engine's enter entries.</summary>
    public static List<(string Step, string Action, string By)> Decisions(JsonObject instance) =>
        instance["history"]!.AsArray().Select(h => h!.AsObject())
            .Where(h => h["action"]!.GetValue<string>() is not ("enter" or "start" or "end"))
            .Select(h => (h["step"]!.GetValue<string>(), h["action"]!.GetValue<string>(), h["by"]!.GetValue<string>()))
            .ToList();

    /// <summary>The customer's view: <c>/api/public/track/{no}?phone=…</c> without signing in.</summary>
    public async Task<JsonObject> TrackAsync(string trackingNo, string phone)
    {
        using var anonymous = platform.Anonymous();
        return await ApiAssert.JsonAsync(await anonymous.GetAsync($"/api/public/track/{trackingNo}?phone={phone}"), HttpStatusCode.OK);
    }

    public static List<string> TimelineTexts(JsonObject track) => track["timeline"]!.AsArray().Select(t => t!["text"]!.GetValue<string>()).ToList();

    /// <summary>The rule firing log (as admin), newest first.</summary>
    public async Task<JsonArray> FiringsAsync(string query)
    {
        using var admin = await platform.ClientForAsync("admin");
        return (await admin.GetFromJsonAsync<JsonArray>($"/api/apps/after_sales/rules/firings?{query}"))!;
    }

    /// <summary>Statuses of the rule's firings for the record, oldest first.</summary>
    public async Task<List<string>> FiringStatusesAsync(string rule, string recordId) =>
        (await FiringsAsync($"rule={rule}&record={recordId}")).Select(f => f!["status"]!.GetValue<string>()).Reverse().ToList();

    /// <summary>Fires every timer due by <paramref name="asOf"/>, as the timer worker would once the clock got there.</summary>
    public async Task PassTimeUntilAsync(DateTimeOffset asOf)
    {
        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        while (await worker.FireDueAsync(CancellationToken.None, asOf) > 0)
        {
        }
    }

    /// <summary>When the rule's task.overdue timer for the record is due (exactly one must be pending).</summary>
    public async Task<DateTimeOffset> OverdueTimerAsync(string rule, string recordId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select due_at from timers where kind = 'rule-overdue' and payload->>'rule' = $1 and payload->>'recordId' = $2", connection);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = rule });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = recordId });
        var due = new List<DateTimeOffset>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            due.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return Assert.Single(due);
    }

    /// <summary>A fresh mainland mobile number, so tracking lookups and message recipients are this scenario's own.</summary>
    public static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
