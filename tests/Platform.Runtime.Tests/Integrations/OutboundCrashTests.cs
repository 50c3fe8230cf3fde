using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Platform.Runtime.Tests.Flows;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>
/// SIGKILLs a runtime process while a webhook is in flight: after the restart the lease runs out, the webhook is sent
/// again with the same Idempotency-Key, the receiver's deduplicated effect happens once, the row ends sent once, and a
/// message that was waiting (not yet claimed) when the node died is delivered once.
/// </summary>
[Collection("postgres")]
public sealed class OutboundCrashTests(PostgresFixture postgres)
{
    [Fact]
    public async Task KillDuringWebhook_ResendsWithSameIdempotencyKey_AndDeliversEachMessageOnce_WhenRuntimeRestarts()
    {
        var db = await postgres.CreateDatabaseAsync();
        var port = RuntimeProcess.FreePort();
        string[] fast = ["--Platform:OutboxLeaseMarginSeconds", "2", "--Platform:OutboxPollMs", "200"];
        var runtime = await RuntimeProcess.StartAsync(db, port, "node-a", fast);
        await using var listener = await TestHttpListener.StartAsync();
        var seen = new ConcurrentQueue<string>();
        var effects = new ConcurrentDictionary<string, int>();
        var duplicates = new ConcurrentQueue<string>();
        var held = 0;
        listener.Handler = async (context, request) =>
        {
            var key = request.Header("Idempotency-Key") ?? "?";
            seen.Enqueue(key);
            if (Interlocked.Exchange(ref held, 1) == 0)
            {
                // The first request is held long enough for the test to kill the sender under it.
                await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            }

            // The receiver's side effect, deduplicated by Idempotency-Key as the contract asks of receivers.
            if (!effects.TryAdd(key, 1))
            {
                duplicates.Enqueue(key);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("ok", CancellationToken.None);
        };

        try
        {
            using (var admin = await runtime.ClientAsync("admin"))
            {
                (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { $"127.0.0.1:{listener.Port}" } })).EnsureSuccessStatusCode();
                (await admin.PutAsJsonAsync("/api/apps/after_sales/connectors/slow", new { kind = "http", baseUrl = listener.Url("/hooks"), secret = "k", timeoutSeconds = 5 })).EnsureSuccessStatusCode();
            }

            var inFlightKey = "crash:" + Guid.NewGuid().ToString("N");
            var inFlight = await OutboxProbe.EnqueueAsync(db, "webhook", inFlightKey, new JsonObject
            {
                ["app"] = "after_sales", ["connector"] = "slow", ["url"] = "order-created", ["body"] = new JsonObject { ["no"] = "RT1" },
            });
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!seen.Contains(inFlightKey) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Contains(inFlightKey, seen);
            var waitingKey = "crash:" + Guid.NewGuid().ToString("N");
            var waiting = await OutboxProbe.EnqueueAsync(db, "webhook", waitingKey, new JsonObject
            {
                ["app"] = "after_sales", ["connector"] = "slow", ["url"] = "order-updated", ["body"] = new JsonObject { ["no"] = "RT2" },
            }, TimeSpan.FromSeconds(2));
            Assert.Equal(("sending", 1), Short(await OutboxProbe.RowAsync(db, inFlight)));
            Assert.Equal(("pending", 0), Short(await OutboxProbe.RowAsync(db, waiting)));

            runtime.Kill();
            Assert.Equal("sending", (await OutboxProbe.RowAsync(db, inFlight)).Status);
            runtime = await RuntimeProcess.StartAsync(db, port, "node-a", fast);

            var first = await OutboxProbe.WaitAsync(db, inFlight, TimeSpan.FromSeconds(60), "sent", "failed", "refused");
            var second = await OutboxProbe.WaitAsync(db, waiting, TimeSpan.FromSeconds(60), "sent", "failed", "refused");

            Assert.Equal("sent", first.Status);
            Assert.Equal("sent", second.Status);
            Assert.True(seen.Count(k => k == inFlightKey) >= 2, "the in-flight webhook was not sent again after the crash");
            Assert.Equal(1, effects[inFlightKey]);
            Assert.Equal(seen.Count(k => k == inFlightKey) - 1, duplicates.Count(k => k == inFlightKey));
            Assert.Single(seen, k => k == waitingKey);
            Assert.Equal(1, effects[waitingKey]);
            Assert.DoesNotContain(waitingKey, duplicates);

            await using var data = NpgsqlDataSource.Create(db);
            Assert.Equal(1, await ScalarAsync(data, "select count(*) from outbox where idempotency_key = $1", inFlightKey));
            Assert.Equal(1, await ScalarAsync(data, "select count(*) from outbox_attempts a join outbox o on o.id = a.outbox_id where o.idempotency_key = $1 and a.outcome = 'sent'", inFlightKey));
            Assert.Equal(1, await ScalarAsync(data, "select count(*) from outbox_attempts a join outbox o on o.id = a.outbox_id where o.idempotency_key = $1 and a.outcome = 'lost' and a.attempt = 1", inFlightKey));
            Assert.Equal(1, await ScalarAsync(data, "select count(*) from outbox_attempts a join outbox o on o.id = a.outbox_id where o.idempotency_key = $1 and a.outcome = 'sent'", waitingKey));
            Assert.Equal(1, await ScalarAsync(data, "select count(*) from outbox where idempotency_key = $1 and attempts = 1", waitingKey));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    private static (string Status, int Attempts) Short((string Status, int Attempts, string? LastError) row) => (row.Status, row.Attempts);

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql, params object[] args)
    {
        await using var cmd = data.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
