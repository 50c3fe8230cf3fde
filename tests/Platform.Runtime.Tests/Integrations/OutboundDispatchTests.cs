using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>
/// Outbox messages sent by the running platform's own dispatcher to real HTTP listeners: internal targets are
/// refused in every spelling (and the listener gets nothing), redirects are checked again, allow-listed listeners
/// receive signed webhooks, SMS goes through the logging provider and robots get their providers' body shapes.
/// </summary>
[Collection("platform")]
public sealed class OutboundDispatchTests(PlatformFixture platform)
{
    private const string App = "after_sales";

    [Theory]
    [InlineData("http://127.0.0.1:{port}/", "refused: 127.0.0.1 is a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "refused: 169.254.169.254 is a link-local/metadata address")]
    [InlineData("http://[::1]:{port}/", "refused: ::1 is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f000001:{port}/", "loopback")]
    [InlineData("http://2130706433:{port}/", "loopback")]
    [InlineData("http://0177.0.0.1:{port}/", "loopback")]
    [InlineData("http://127.1:{port}/", "loopback")]
    [InlineData("http://localhost:{port}/", "refused: localhost resolves to")]
    [InlineData("http://user:pw@example.com/", "credentials")]
    [InlineData("ftp://example.com/file", "only http and https")]
    public async Task Webhook_EndsRefusedAndListenerGetsNothing_WhenTargetIsInternal(string template, string reason)
    {
        await using var listener = await TestHttpListener.StartAsync(ipv6: true);
        await SetAllowlistAsync("127.0.0.1:1");
        var url = template.Replace("{port}", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", Key(), new JsonObject { ["app"] = App, ["url"] = url, ["body"] = new JsonObject { ["x"] = 1 } });

        var (status, attempts, error) = await OutboxProbe.WaitAsync(platform.ConnectionString, id);

        Assert.Equal("refused", status);
        Assert.Equal(1, attempts);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        using var admin = await platform.ClientForAsync("admin");
        var message = await admin.GetFromJsonAsync<JsonObject>($"/api/outbox/{id}");
        var delivery = Assert.Single(message!["deliveries"]!.AsArray());
        Assert.Equal("refused", delivery!["outcome"]!.GetValue<string>());
        Assert.Equal(error, delivery["error"]!.GetValue<string>());
        await Task.Delay(300);
        Assert.Empty(listener.Requests);
    }

    [Fact]
    public async Task Webhook_IsRefused_WhenAllowlistedListenerRedirectsToAnotherLocalPort()
    {
        await using var first = await TestHttpListener.StartAsync();
        await using var second = await TestHttpListener.StartAsync();
        first.Handler = (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = second.Url("/stolen");
            return Task.CompletedTask;
        };
        await SetAllowlistAsync($"127.0.0.1:{first.Port}");
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", Key(), new JsonObject { ["app"] = App, ["url"] = first.Url("/hook") });

        var (status, _, error) = await OutboxProbe.WaitAsync(platform.ConnectionString, id);

        Assert.Equal("refused", status);
        Assert.Contains("127.0.0.1 is a loopback address", error, StringComparison.Ordinal);
        Assert.Single(first.Requests);
        Assert.Empty(second.Requests);
    }

    [Fact]
    public async Task Webhook_FollowsRedirectAndKeepsIdempotencyKey_WhenTargetStaysAllowlisted()
    {
        await using var listener = await TestHttpListener.StartAsync();
        listener.Handler = async (context, request) =>
        {
            if (request.PathAndQuery == "/old")
            {
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = "/new";
                return;
            }

            await context.Response.WriteAsync("ok");
        };
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        var key = Key();
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", key, new JsonObject { ["app"] = App, ["url"] = listener.Url("/old"), ["body"] = new JsonObject { ["n"] = 7 } });

        Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        var final = Assert.Single(listener.Requests, r => r.PathAndQuery == "/new");
        Assert.Equal("POST", final.Method);
        Assert.Equal(key, final.Header("Idempotency-Key"));
        Assert.Equal("{\"n\":7}", final.BodyText);
    }

    [Fact]
    public async Task Webhook_KeepsNoCredentialHeaders_WhenRedirectedToAnotherOrigin()
    {
        await using var first = await TestHttpListener.StartAsync();
        await using var second = await TestHttpListener.StartAsync();
        first.Handler = (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = second.Url("/elsewhere");
            return Task.CompletedTask;
        };
        await SetAllowlistAsync($"127.0.0.1:{first.Port}", $"127.0.0.1:{second.Port}");
        var connector = "keys_" + Guid.NewGuid().ToString("N")[..8];
        using var admin = await platform.ClientForAsync("admin");
        var put = await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/{connector}", new
        {
            kind = "http", baseUrl = first.Url("/api"), headers = new Dictionary<string, string> { ["X-Api-Key"] = "k-123" },
            auth = new { type = "bearer" }, secret = "token-" + Guid.NewGuid().ToString("N"),
        });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var key = Key();
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", key, new JsonObject
        {
            ["app"] = App, ["connector"] = connector, ["url"] = "orders", ["headers"] = new JsonObject { ["X-Extra"] = "1" }, ["body"] = new JsonObject { ["n"] = 1 },
        });

        Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        Assert.Equal("k-123", Assert.Single(first.Requests).Header("X-Api-Key"));
        var moved = Assert.Single(second.Requests);
        Assert.Equal(key, moved.Header("Idempotency-Key"));
        Assert.Null(moved.Header("X-Api-Key"));
        Assert.Null(moved.Header("X-Extra"));
        Assert.Null(moved.Header("Authorization"));
    }

    [Fact]
    public async Task Webhook_IsSignedAndCarriesIdempotencyKey_WhenConnectorHasSecret()
    {
        await using var listener = await TestHttpListener.StartAsync();
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        var secret = "whsec-" + Guid.NewGuid().ToString("N");
        var connector = "hooks_" + Guid.NewGuid().ToString("N")[..8];
        using var admin = await platform.ClientForAsync("admin");
        var put = await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/{connector}", new
        {
            kind = "http", baseUrl = listener.Url("/api"), headers = new Dictionary<string, string> { ["X-Tenant"] = "t1" },
            auth = new { type = "hmac" }, secret, timeoutSeconds = 5, retries = 2,
        });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var key = Key();
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", key, new JsonObject
        {
            ["app"] = App, ["connector"] = connector, ["url"] = "orders/1?x=1", ["method"] = "PUT",
            ["headers"] = new JsonObject { ["X-Extra"] = "1" }, ["body"] = new JsonObject { ["no"] = "RT1", ["amount"] = 12.5, ["text"] = "换货" },
        });

        Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        var request = Assert.Single(listener.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/api/orders/1?x=1", request.PathAndQuery);
        Assert.Equal(key, request.Header("Idempotency-Key"));
        Assert.Equal("t1", request.Header("X-Tenant"));
        Assert.Equal("1", request.Header("X-Extra"));
        Assert.Equal("RT1", JsonNode.Parse(request.BodyText)!["no"]!.GetValue<string>());
        var timestamp = long.Parse(request.Header("X-Platform-Timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(request.Body).ToArray();
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ToLowerInvariant();
        Assert.Equal(expected, request.Header("X-Platform-Signature"));
        Assert.Null(request.Header("Authorization"));

        var message = await admin.GetFromJsonAsync<JsonObject>($"/api/outbox/{id}");
        var delivery = Assert.Single(message!["deliveries"]!.AsArray());
        Assert.Equal("sent", delivery!["outcome"]!.GetValue<string>());
        Assert.Equal(200, delivery["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Webhook_SendsBearerTokenAndFailsPermanently_WhenReceiverAnswers400()
    {
        await using var listener = await TestHttpListener.StartAsync();
        listener.Handler = (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("bad order");
        };
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        var connector = "bearer_" + Guid.NewGuid().ToString("N")[..8];
        using var admin = await platform.ClientForAsync("admin");
        (await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/{connector}", new { kind = "http", baseUrl = listener.Url("/"), auth = new { type = "bearer" }, secret = "tok-123" })).EnsureSuccessStatusCode();
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", Key(), new JsonObject { ["app"] = App, ["connector"] = connector, ["body"] = new JsonObject() });

        var (status, attempts, error) = await OutboxProbe.WaitAsync(platform.ConnectionString, id);

        Assert.Equal("failed", status);
        Assert.Equal(1, attempts);
        Assert.Contains("HTTP 400", error, StringComparison.Ordinal);
        Assert.Equal("Bearer tok-123", Assert.Single(listener.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Webhook_GoesBackToPendingWithBackoff_WhenReceiverAnswers503()
    {
        await using var listener = await TestHttpListener.StartAsync();
        listener.Handler = (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        };
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", Key(), new JsonObject { ["app"] = App, ["url"] = listener.Url("/") });

        await WaitForAttemptAsync(id);
        var (status, attempts, error) = await OutboxProbe.RowAsync(platform.ConnectionString, id);

        Assert.Equal("pending", status);
        Assert.Equal(1, attempts);
        Assert.Contains("HTTP 503", error, StringComparison.Ordinal);
        Assert.Equal(1, await platform.CountAsync("select count(*) from outbox where id = $1 and next_attempt_at > now()", id));
    }

    [Fact]
    public async Task Sms_EndsSent_WhenLoggingProviderSendsIt_AndFails_WhenNumberIsNotMainlandMobile()
    {
        var good = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "sms", Key(), new JsonObject { ["app"] = App, ["to"] = "13800138000", ["text"] = "您的工单 SR001 已受理", ["template"] = "SMS_1" });
        var bad = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "sms", Key(), new JsonObject { ["to"] = "12345", ["text"] = "x" });

        Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, good)).Status);
        var (status, attempts, error) = await OutboxProbe.WaitAsync(platform.ConnectionString, bad);
        Assert.Equal("failed", status);
        Assert.Equal(1, attempts);
        Assert.Contains("mainland mobile", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Robot_PostsEachProvidersBodyShape_WhenSentToAllowlistedListener()
    {
        await using var listener = await TestHttpListener.StartAsync();
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        using var admin = await platform.ClientForAsync("admin");
        var ding = "ding_" + Guid.NewGuid().ToString("N")[..8];
        var feishu = "feishu_" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/{ding}", new { kind = "dingtalk", baseUrl = listener.Url("/robot/send?access_token=abc"), secret = "SECding" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/{feishu}", new { kind = "feishu", baseUrl = listener.Url("/open-apis/bot/v2/hook/xyz"), secret = "SECfs" })).EnsureSuccessStatusCode();

        var wecomId = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "robot", Key(), new JsonObject
        {
            ["app"] = App, ["provider"] = "wecom", ["url"] = listener.Url("/cgi-bin/webhook/send?key=k1"), ["title"] = "新工单", ["text"] = "SR001 待派工",
        });
        var dingId = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "robot", Key(), new JsonObject
        {
            ["app"] = App, ["provider"] = "dingtalk", ["connector"] = ding, ["title"] = "超时提醒", ["text"] = "RT002 已超时",
        });
        var feishuId = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "robot", Key(), new JsonObject
        {
            ["app"] = App, ["provider"] = "feishu", ["connector"] = feishu, ["text"] = "质检完成",
        });
        foreach (var id in new[] { wecomId, dingId, feishuId })
        {
            Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        }

        var wecom = JsonNode.Parse(Assert.Single(listener.Requests, r => r.PathAndQuery.StartsWith("/cgi-bin/", StringComparison.Ordinal)).BodyText)!;
        Assert.Equal("markdown", wecom["msgtype"]!.GetValue<string>());
        Assert.Equal("**新工单**\nSR001 待派工", wecom["markdown"]!["content"]!.GetValue<string>());

        var dingRequest = Assert.Single(listener.Requests, r => r.PathAndQuery.StartsWith("/robot/", StringComparison.Ordinal));
        var dingBody = JsonNode.Parse(dingRequest.BodyText)!;
        Assert.Equal("markdown", dingBody["msgtype"]!.GetValue<string>());
        Assert.Equal("超时提醒", dingBody["markdown"]!["title"]!.GetValue<string>());
        Assert.Contains("RT002 已超时", dingBody["markdown"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + dingRequest.PathAndQuery).Query);
        Assert.Equal("abc", query["access_token"]);
        var ts = query["timestamp"]!;
        var expectedSign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("SECding"), Encoding.UTF8.GetBytes(ts + "\n" + "SECding")));
        Assert.Equal(expectedSign, query["sign"]);

        var feishuBody = JsonNode.Parse(Assert.Single(listener.Requests, r => r.PathAndQuery.StartsWith("/open-apis/", StringComparison.Ordinal)).BodyText)!;
        Assert.Equal("text", feishuBody["msg_type"]!.GetValue<string>());
        Assert.Equal("质检完成", feishuBody["content"]!["text"]!.GetValue<string>());
        var seconds = feishuBody["timestamp"]!.GetValue<string>();
        var feishuSign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(seconds + "\n" + "SECfs"), Array.Empty<byte>()));
        Assert.Equal(feishuSign, feishuBody["sign"]!.GetValue<string>());
    }

    [Fact]
    public async Task Robot_IsRetried_WhenProviderAnswers200WithErrorCode()
    {
        await using var listener = await TestHttpListener.StartAsync();
        listener.Handler = (context, _) => context.Response.WriteAsync("{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
        await SetAllowlistAsync($"127.0.0.1:{listener.Port}");
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "robot", Key(), new JsonObject { ["provider"] = "dingtalk", ["url"] = listener.Url("/robot/send"), ["text"] = "x" });

        await WaitForAttemptAsync(id);
        var (status, _, error) = await OutboxProbe.RowAsync(platform.ConnectionString, id);

        Assert.Equal("pending", status);
        Assert.Contains("310000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxApi_ListsByStatusAndKind_ForAdminOnly()
    {
        var id = await OutboxProbe.EnqueueAsync(platform.ConnectionString, "webhook", Key(), new JsonObject { ["url"] = "http://10.0.0.1/x" });
        Assert.Equal("refused", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        using var admin = await platform.ClientForAsync("admin");
        var list = await admin.GetFromJsonAsync<JsonObject>("/api/outbox?status=refused&kind=webhook&limit=200");
        Assert.Contains(list!["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == id.ToString());
        Assert.All(list["items"]!.AsArray(), i => Assert.Equal("refused", i!["status"]!.GetValue<string>()));
        Assert.True(list["total"]!.GetValue<long>() >= 1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.GetAsync("/api/outbox?status=bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/outbox/{Guid.NewGuid()}")).StatusCode);

        using var cs = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.GetAsync("/api/outbox")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.GetAsync($"/api/outbox/{id}")).StatusCode);
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/outbox")).StatusCode);
    }

    [Fact]
    public async Task AllowlistApi_ReplacesTheList_AndNamesTheBadEntry()
    {
        using var admin = await platform.ClientForAsync("admin");
        var saved = await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { "hooks.example.internal", "10.0.0.5:8443", "[fd00::5]:80" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var list = await admin.GetFromJsonAsync<JsonObject>("/api/admin/outbound-allowlist");
        Assert.Equal(["10.0.0.5:8443", "[fd00::5]:80", "hooks.example.internal"], list!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()).Order(StringComparer.Ordinal));

        var bad = await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { "ok.example.com", "bad host:99999" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["hosts[1]"]);
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonObject>("/api/admin/outbound-allowlist"))!["hosts"]!.AsArray().Count);

        using var cs = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { "127.0.0.1" } })).StatusCode);
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/outbound-allowlist")).StatusCode);
    }

    private static string Key() => "test:outbound:" + Guid.NewGuid().ToString("N");

    private async Task SetAllowlistAsync(params string[] hosts)
    {
        using var admin = await platform.ClientForAsync("admin");
        (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts })).EnsureSuccessStatusCode();
    }

    private async Task WaitForAttemptAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await platform.CountAsync("select count(*) from outbox_attempts where outbox_id = $1", id) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await OutboxProbe.WaitAsync(platform.ConnectionString, id, TimeSpan.FromSeconds(5), "pending", "failed", "sent", "refused");
    }
}
