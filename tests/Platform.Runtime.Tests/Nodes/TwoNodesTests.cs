using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Platform.Runtime.Tests.Flows;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Integrations;
using Xunit.Abstractions;

namespace Platform.Runtime.Tests.Nodes;

/// <summary>
/// Two runtime processes on one database behind nginx running the shipped site (deploy/nginx-platform.conf): /api is
/// round-robin, /_blazor sticky. A cookie or bearer token issued by one node works on the other (data-protection keys
/// in PostgreSQL), every timer fires once and every outbox message is delivered once with both nodes polling.
/// </summary>
[Collection("postgres")]
public sealed class TwoNodesTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Customers = "/api/apps/after_sales/entities/customer/records";

    [Fact]
    public async Task TwoNodesBehindNginx_ShareSessionsAndTokens_FireEachTimerOnce_AndSendEachMessageOnce()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {name}");
        var db = await postgres.CreateDatabaseAsync();
        await using var sink = await TestHttpListener.StartAsync();
        var deliveries = new ConcurrentDictionary<string, int>();
        sink.Handler = async (context, request) =>
        {
            deliveries.AddOrUpdate(request.Header("Idempotency-Key") ?? "?", 1, (_, n) => n + 1);
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("ok", CancellationToken.None);
        };

        string[] fast = ["--Platform:OutboxPollMs", "200"];
        var portA = RuntimeProcess.FreePort();
        var portB = RuntimeProcess.FreePort();
        await using var nodeA = await RuntimeProcess.StartAsync(db, portA, "node-a", fast);
        Phase("node A ready");
        await using var nodeB = await RuntimeProcess.StartAsync(db, portB, "node-b", fast);
        Phase("node B ready");
        await using var nginx = await NginxProxy.StartAsync(Path.Combine(RuntimeProcess.RepositoryRoot(), "deploy", "nginx-platform.conf"), portA, portB);
        using var proxy = nginx.Client();
        Phase("nginx listening");

        // Plain HTTP is sent to HTTPS.
        using (var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            var redirect = await plain.GetAsync($"http://127.0.0.1:{nginx.PlainPort}/login");
            Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
            Assert.StartsWith("https://", redirect.Headers.Location!.ToString());
        }

        // Signed in on node A: the cookie and the bearer token work on node B, which never saw the sign-in.
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var login = await direct.PostAsJsonAsync($"http://127.0.0.1:{portA}/api/auth/login", new { userName = "cs01", password = "demo1234" });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("platform.auth=", StringComparison.Ordinal));
        Assert.Equal("cs01", await MeAsync(direct, $"http://127.0.0.1:{portB}", cookie: cookie));
        Assert.Equal("cs01", await MeAsync(direct, $"http://127.0.0.1:{portB}", bearer: token));

        // Through nginx, /api alternates between the nodes and both accept both credentials.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("cs01", await MeAsync(proxy, string.Empty, cookie: cookie, probe: "rr-cookie"));
            Assert.Equal("cs01", await MeAsync(proxy, string.Empty, bearer: token, probe: "rr-bearer"));
        }

        // nginx writes a request's access-log line after its response: the last one may lag the client by a moment.
        var upstreams = nginx.UpstreamsOf("probe=rr-").ToList();
        for (var wait = 0; upstreams.Count < 8 && wait < 20; wait++)
        {
            await Task.Delay(100);
            upstreams = nginx.UpstreamsOf("probe=rr-").ToList();
        }

        Assert.Equal(8, upstreams.Count);
        Assert.Equal(new[] { $"127.0.0.1:{portA}", $"127.0.0.1:{portB}" }.Order(), upstreams.Distinct().Order());

        // The client's scheme reaches the runtime through X-Forwarded-Proto: links it builds say https.
        using var admin = await SignedInAsync(proxy, "admin", RuntimeProcess.AdminPassword);
        var links = await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms");
        Assert.StartsWith("https://127.0.0.1", links![0]!["url"]!.GetValue<string>());

        // Blazor: negotiate and the websocket that follows reach the same node every time (sticky /_blazor).
        for (var i = 0; i < 4; i++)
        {
            await ConnectCircuitAsync(proxy, nginx.Address, cookie, "sticky-cookie");
            await ConnectCircuitAsync(proxy, nginx.Address, null, "sticky-anonymous");
        }

        Assert.Single(nginx.UpstreamsOf("probe=sticky-cookie").Distinct());
        Assert.Single(nginx.UpstreamsOf("probe=sticky-anonymous").Distinct());

        Phase("sessions, tokens and circuits checked");

        // Timers and outbox with both nodes polling: each customer starts a flow whose step times out in 3 s, and a rule
        // sends a webhook for it. Definitions published through one node reach the other within AppCatalog.Freshness.
        await PublishAsync(admin, sink);
        await Task.Delay(Platform.Runtime.Execution.AppCatalog.Freshness + TimeSpan.FromMilliseconds(500));
        using var cs = await SignedInAsync(proxy, "cs01", "demo1234");
        const int count = 20;
        for (var i = 0; i < count; i++)
        {
            var response = await cs.PostAsJsonAsync(Customers + "?probe=timer-create", new
            {
                data = new { name = $"双节点客户{i}", phone = $"135{i:D8}", tier = "regular", region = "east", address = "nodes" },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(2, nginx.UpstreamsOf("probe=timer-create").Distinct().Count());
        await using var data = NpgsqlDataSource.Create(db);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline
            && (await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_nodes_timer' and status = 'completed'") < count
                || await ScalarAsync(data, "select count(*) from outbox where kind = 'webhook' and status = 'sent'") < count))
        {
            await Task.Delay(200);
        }

        Phase("timers fired, webhooks sent");

        // Let a second firing or a second send, if either node were to make one, show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(2));
        output.WriteLine("timers fired by: " + await ListAsync(data, "select fired_by || ' ' || count(*) from timer_firings group by fired_by order by 1"));
        output.WriteLine("webhooks sent by: " + await ListAsync(data, "select node || ' ' || count(*) from outbox_attempts where outcome = 'sent' group by node order by 1"));
        Assert.Equal(count, await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_nodes_timer' and status = 'completed'"));
        Assert.Equal(count, await ScalarAsync(data, "select count(*) from timer_firings f join flow_instances i on i.id = f.instance_id where i.flow_key = 't_nodes_timer'"));
        Assert.Equal(count, await ScalarAsync(data, "select count(*) from flow_history h join flow_instances i on i.id = h.instance_id where i.flow_key = 't_nodes_timer' and h.action = 'auto-approve'"));
        Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select instance_id, step from flow_history where action = 'enter' group by 1, 2 having count(*) > 1) twice"));
        Assert.Equal(count, await ScalarAsync(data, "select count(*) from outbox where kind = 'webhook' and status = 'sent'"));
        Assert.Equal(count, await ScalarAsync(data, "select count(*) from outbox_attempts a join outbox o on o.id = a.outbox_id where o.kind = 'webhook' and a.outcome = 'sent'"));
        Assert.Equal(count, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(1, d.Value));
    }

    private static async Task PublishAsync(HttpClient admin, TestHttpListener sink)
    {
        var flow = JsonNode.Parse("""
            { "key": "t_nodes_timer", "name": "t_nodes_timer", "entity": "customer", "startWhen": "address == 'nodes'",
              "steps": [ { "key": "start", "type": "start" },
                         { "key": "wait_sign", "type": "approval", "assignees": { "users": ["fin01"] }, "deadline": { "minutes": 0.05, "businessTime": false, "action": "auto-approve" } },
                         { "key": "done", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "wait_sign" }, { "from": "wait_sign", "to": "done" } ] }
            """);
        (await admin.PutAsJsonAsync("/api/apps/after_sales/flows/t_nodes_timer", flow)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { $"127.0.0.1:{sink.Port}" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/apps/after_sales/connectors/sink", new { kind = "http", baseUrl = sink.Url("/hooks"), secret = "k", timeoutSeconds = 5 })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/apps/after_sales/rules/t_nodes_hook", new
        {
            key = "t_nodes_hook", name = "t_nodes_hook", entity = "customer", trigger = new { type = "record.created" },
            when = new { all = new[] { new { field = "address", op = "eq", value = "nodes" } } },
            actions = new[] { new { type = "webhook", connector = "sink", url = "customer-created" } },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>A client of the proxy signed in with a bearer token (the proxy's own handler keeps no cookies).</summary>
    private static async Task<HttpClient> SignedInAsync(HttpClient proxy, string user, string password)
    {
        var login = await proxy.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, UseCookies = false })
        {
            BaseAddress = proxy.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string?> MeAsync(HttpClient client, string baseUrl, string? cookie = null, string? bearer = null, string? probe = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/api/auth/me" + (probe is null ? string.Empty : $"?probe={probe}"));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["userName"]?.GetValue<string>();
    }

    /// <summary>
    /// SignalR negotiate, then the websocket with the connection token it gave: only the node that negotiated knows the
    /// token, so the upgrade (101) succeeds only when both requests reach the same node.
    /// </summary>
    private static async Task ConnectCircuitAsync(HttpClient proxy, Uri address, string? cookie, string probe)
    {
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"/_blazor/negotiate?negotiateVersion=1&probe={probe}");
        if (cookie is not null)
        {
            negotiate.Headers.Add("Cookie", cookie);
        }

        using var negotiated = await proxy.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var connectionToken = (await negotiated.Content.ReadFromJsonAsync<JsonObject>())!["connectionToken"]!.GetValue<string>();

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        if (cookie is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookie);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"wss://{address.Authority}/_blazor?id={Uri.EscapeDataString(connectionToken)}&probe={probe}"), timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static async Task<string> ListAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return string.Join(", ", rows);
    }
}
