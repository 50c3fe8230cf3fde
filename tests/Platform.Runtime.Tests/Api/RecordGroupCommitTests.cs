using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// Group commit of simple creates (purchase requests: an auto-number, no flow, no rule; spare parts: a unique field). The
/// writer is held on a create whose auto-number row a test transaction has locked, so the creates sent meanwhile queue and
/// go together as one batch when the lock is released.
/// </summary>
[Collection("platform")]
public sealed class RecordGroupCommitTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    private RecordCreateQueue Queue => platform.Factory.Services.GetRequiredService<RecordCreateQueue>();

    [Fact]
    public async Task Create_CommitsQueuedCreatesInOneTransaction_EachNumberedAuditedAndOwned_WhenAWriteIsInFlight()
    {
        using var wh = await platform.ClientForAsync("wh01");
        var part = await SparePartAsync(wh, "GC-A-" + Guid.NewGuid().ToString("N")[..8]);
        await PurchaseAsync(wh, part, "warm-up");

        var (leader, queued) = await WhileHeldAsync(wh, part, async () =>
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, $"queued {i}")))), 6);

        var created = new List<JsonObject> { await ApiAssert.JsonAsync(leader, HttpStatusCode.Created) };
        foreach (var response in queued)
        {
            created.Add(await ApiAssert.JsonAsync(response, HttpStatusCode.Created));
        }

        var ids = created.Select(c => Guid.Parse(c["id"]!.GetValue<string>())).ToArray();
        var batched = ids[1..];
        // One transaction for the queued six, another for the create that was in flight.
        Assert.Equal(1, await platform.CountAsync("select count(distinct xmin::text) from records where id = any($1)", batched));
        Assert.Equal(2, await platform.CountAsync("select count(distinct xmin::text) from records where id = any($1)", ids));

        var numbers = created.Select(c => int.Parse(c["data"]!["request_no"]!.GetValue<string>()[^4..])).Order().ToArray();
        Assert.Equal(Enumerable.Range(numbers[0], ids.Length), numbers);
        Assert.Equal(ids.Length, await platform.CountAsync("select count(*) from record_audit where record_id = any($1) and action = 'create' and version = 1", ids));
        Assert.Equal(ids.Length, await platform.CountAsync("select count(*) from records where id = any($1) and owner_department = 'warehouse'", ids));
        foreach (var c in created)
        {
            var stored = (await wh.GetFromJsonAsync<JsonObject>($"{Records}/purchase_request/records/{c["id"]}"))!;
            Assert.True(JsonNode.DeepEquals(stored["data"], c["data"]), $"{c["data"]} != {stored["data"]}");
            Assert.Equal(stored["createdAt"]!.GetValue<DateTimeOffset>(), c["createdAt"]!.GetValue<DateTimeOffset>());
            var audit = (await wh.GetFromJsonAsync<JsonArray>($"{Records}/purchase_request/records/{c["id"]}/audit"))!;
            Assert.Equal(c["data"]!["request_no"]!.GetValue<string>(), Assert.Single(audit)!["changes"]!["request_no"]!["after"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Create_FailsOnlyTheConflictingCreate_WithTheErrorItGetsAlone_AndNumbersStayGapless_WhenTheCombinedTransactionFails()
    {
        using var wh = await platform.ClientForAsync("wh01");
        var part = await SparePartAsync(wh, "GC-B-" + Guid.NewGuid().ToString("N")[..8]);
        await PurchaseAsync(wh, part, "warm-up");
        var twice = "GC-DUP-" + Guid.NewGuid().ToString("N")[..8];

        var (leader, queued) = await WhileHeldAsync(wh, part, async () => await Task.WhenAll(
            wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, "b 0")),
            wh.PostAsJsonAsync($"{Records}/spare_part/records", Part(twice)),
            wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, "b 1")),
            wh.PostAsJsonAsync($"{Records}/spare_part/records", Part(twice)),
            wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, "b 2"))), 5);

        var purchases = new List<JsonObject> { await ApiAssert.JsonAsync(leader, HttpStatusCode.Created) };
        foreach (var i in new[] { 0, 2, 4 })
        {
            purchases.Add(await ApiAssert.JsonAsync(queued[i], HttpStatusCode.Created));
        }

        var parts = new[] { queued[1], queued[3] };
        var refused = Assert.Single(parts, r => r.StatusCode != HttpStatusCode.Created);
        await ApiAssert.JsonAsync(Assert.Single(parts, r => r.StatusCode == HttpStatusCode.Created), HttpStatusCode.Created);
        var batchedProblem = await ProblemAsync(refused);
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where entity_key = 'spare_part' and data->>'part_no' = $1", twice));

        // Alone, the same create gets the same problem.
        var alone = await wh.PostAsJsonAsync($"{Records}/spare_part/records", Part(twice));
        var aloneProblem = await ProblemAsync(alone);
        foreach (var key in new[] { "status", "title", "errors" })
        {
            Assert.Equal(aloneProblem[key]?.ToJsonString(), batchedProblem[key]?.ToJsonString());
        }

        // The failed transaction took numbers and gave them back: the retried creates and the next one follow on without a gap.
        purchases.Add(await PurchaseAsync(wh, part, "after"));
        var numbers = purchases.Select(c => int.Parse(c["data"]!["request_no"]!.GetValue<string>()[^4..])).Order().ToArray();
        Assert.Equal(Enumerable.Range(numbers[0], purchases.Count), numbers);
        var ids = purchases.Select(c => Guid.Parse(c["id"]!.GetValue<string>())).ToArray();
        Assert.Equal(ids.Length, await platform.CountAsync("select count(*) from record_audit where record_id = any($1) and action = 'create'", ids));
    }

    [Fact]
    public async Task Create_DropsAQueuedCreate_AndCommitsTheOneAlreadySent_WhenTheirClientsGoAway()
    {
        using var wh = await platform.ClientForAsync("wh01");
        var part = await SparePartAsync(wh, "GC-C-" + Guid.NewGuid().ToString("N")[..8]);
        await PurchaseAsync(wh, part, "warm-up");
        var sent = "sent " + Guid.NewGuid().ToString("N");
        var waiting = "waiting " + Guid.NewGuid().ToString("N");

        await using (var hold = await HoldNumbersAsync())
        {
            using var goneSent = new CancellationTokenSource();
            var first = wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, sent), goneSent.Token);
            await WaitForAsync(async () => await platform.CountAsync("select count(*) from pg_locks where not granted") > 0);
            using var goneWaiting = new CancellationTokenSource();
            var second = wh.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, waiting), goneWaiting.Token);
            await WaitForAsync(() => Task.FromResult(Queue.Queued == 1));

            await goneSent.CancelAsync();
            await goneWaiting.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            // Let the server see both connections close before the writer moves on.
            await Task.Delay(500);
            await hold.CommitAsync();
        }

        await WaitForAsync(async () => await platform.CountAsync("select count(*) from records where data->>'reason' = $1", sent) == 1);
        await WaitForAsync(() => Task.FromResult(Queue.Queued == 0));
        await PurchaseAsync(wh, part, "after");
        Assert.Equal(1, await platform.CountAsync("select count(*) from record_audit a join records r on r.id = a.record_id where r.data->>'reason' = $1 and a.action = 'create'", sent));
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where data->>'reason' = $1", waiting));
    }

    /// <summary>
    /// Sends one purchase request while a test transaction holds every auto-number row, so the writer waits on it; then
    /// sends <paramref name="queue"/>'s creates, waits until <paramref name="count"/> of them are queued and lets the writer go.
    /// </summary>
    private async Task<(HttpResponseMessage Leader, HttpResponseMessage[] Queued)> WhileHeldAsync(HttpClient client, string part, Func<Task<HttpResponseMessage[]>> queue, int count)
    {
        Task<HttpResponseMessage> leader;
        Task<HttpResponseMessage[]> queued;
        await using (var hold = await HoldNumbersAsync())
        {
            leader = client.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, "leader"));
            await WaitForAsync(async () => await platform.CountAsync("select count(*) from pg_locks where not granted") > 0);
            queued = queue();
            await WaitForAsync(() => Task.FromResult(Queue.Queued == count));
            await hold.CommitAsync();
        }

        return (await leader, await queued);
    }

    private async Task<HeldNumbers> HoldNumbersAsync()
    {
        var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("select key from number_sequences for update", connection, transaction);
        await cmd.ExecuteNonQueryAsync();
        return new HeldNumbers(connection, transaction);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["part_no"], problem["errors"]!.AsObject().Select(e => e.Key));
        return problem;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }

    private static async Task<string> SparePartAsync(HttpClient client, string partNo) =>
        (await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/spare_part/records", Part(partNo)), HttpStatusCode.Created))["id"]!.GetValue<string>();

    private static async Task<JsonObject> PurchaseAsync(HttpClient client, string part, string reason) =>
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Records}/purchase_request/records", Purchase(part, reason)), HttpStatusCode.Created);

    private static JsonObject Part(string partNo) => new()
    {
        ["data"] = new JsonObject { ["part_no"] = partNo, ["name"] = "测试备件", ["stock"] = 50, ["safety_stock"] = 5, ["unit_cost"] = 12.5m },
    };

    private static JsonObject Purchase(string part, string reason) => new()
    {
        ["data"] = new JsonObject { ["part"] = part, ["quantity"] = 3, ["reason"] = reason },
    };
}
