using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Security;

/// <summary>The per-address sign-in limit, and that only a known proxy chooses which address a request counts under.</summary>
[Collection("security")]
public sealed class RateLimitTests(SecurityFixture security)
{
    [Fact]
    public async Task Login_Answers429WithRetryAfter_WhenOneAddressExceedsLimit()
    {
        var address = SecurityFixture.NewClientAddress();
        using var client = security.Client(address);
        for (var i = 0; i < SecurityNodeFactory.LoginPerMinute; i++)
        {
            // Different names each time: the lockout of one name is not what stops this.
            Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(client, $"spray-{i}-{address}", "wrong-pass-1")).StatusCode);
        }

        var limited = await SecurityFixture.LoginAsync(client, "admin", SecurityNodeFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());

        // Another client is not affected.
        using var other = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(other, "admin", SecurityNodeFactory.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task LoginPageAndPasswordChange_ShareTheLoginLimit()
    {
        var address = SecurityFixture.NewClientAddress();
        using var client = security.Client(address);
        for (var i = 0; i < SecurityNodeFactory.LoginPerMinute - 1; i++)
        {
            await SecurityFixture.LoginAsync(client, $"page-{i}-{address}", "wrong-pass-1");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = "x", ["Input.Password"] = "y", ["_handler"] = "login" });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsync("/login", form)).StatusCode);
        using var again = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = "x", ["Input.Password"] = "y", ["_handler"] = "login" });
        var page = await client.PostAsync("/login", again);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.NotNull(page.Headers.RetryAfter);
    }

    [Fact]
    public async Task ForwardedFor_IsIgnored_WhenSentByUnknownProxy()
    {
        using var client = security.ClientFromUnknownProxy("127.0.0.2");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= SecurityNodeFactory.LoginPerMinute; i++)
        {
            // A fresh "client address" per request: believed, it would escape the limit.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = $"spoof-{i}-{Guid.NewGuid():N}", password = "wrong-pass-1" }) };
            request.Headers.Add("X-Forwarded-For", SecurityFixture.NewClientAddress());
            answers.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.All(answers[..^1], a => Assert.Equal(HttpStatusCode.Unauthorized, a));
    }

    [Fact]
    public async Task ForwardedFor_IsBelieved_WhenSentByKnownProxy()
    {
        // The same spray through the trusted proxy: every request is its own client, none is limited.
        for (var i = 0; i <= SecurityNodeFactory.LoginPerMinute; i++)
        {
            using var client = security.Client();
            Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(client, $"trusted-{i}-{Guid.NewGuid():N}", "wrong-pass-1")).StatusCode);
        }
    }

    [Fact]
    public async Task AuthCookie_IsSecure_OnlyWhenKnownProxySaysHttps()
    {
        using var viaHttps = security.Client();
        viaHttps.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var secure = await SecurityFixture.LoginAsync(viaHttps, "cs01", "demo1234");
        Assert.Contains(secure.Headers.GetValues("Set-Cookie"), c => c.StartsWith("platform.auth=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("max-age=", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        using var plain = security.Client();
        var insecure = await SecurityFixture.LoginAsync(plain, "cs01", "demo1234");
        Assert.DoesNotContain(insecure.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        using var spoofed = security.ClientFromUnknownProxy("127.0.0.3");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "cs01", password = "demo1234" }) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        var ignored = await spoofed.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.DoesNotContain(ignored.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
