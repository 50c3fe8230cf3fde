using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Runtime.Security;
using Platform.Runtime.Tests.Api;

namespace Platform.Runtime.Tests.Security;

/// <summary>Tokens and cookies expire and can be revoked — logout, password change, deactivation, revoke all — on every node.</summary>
[Collection("security")]
public sealed class SessionTests(SecurityFixture security)
{
    [Fact]
    public async Task Logout_RevokesPresentedToken_ButNotOtherSessions()
    {
        var user = await security.NewUserAsync("logout");
        var first = await security.TokenAsync(user, "demo1234");
        var second = await security.TokenAsync(user, "demo1234");
        using var a = security.Bearer(first);
        using var other = security.Bearer(second);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/auth/me")).StatusCode);
        using var onB = security.Bearer(first, security.AddressB);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Logout_RevokesCookie_EvenWhenOldCookieIsReplayed()
    {
        var user = await security.NewUserAsync("cookie");
        using var browser = security.Client();
        var login = await SecurityFixture.LoginAsync(browser, user, "demo1234");
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("platform.auth=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("X-Requested-With", "fetch");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);

        using var replay = security.Client(cookies: false);
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/auth/me")).StatusCode);
        var page = await replay.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_RevokesEveryToken_AndAnswersFreshOne()
    {
        var user = await security.NewUserAsync("chpw");
        var old = await security.TokenAsync(user, "demo1234");
        var another = await security.TokenAsync(user, "demo1234", security.AddressB);
        using var client = security.Bearer(old);
        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "demo1234", newPassword = "new-secret-9" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var fresh = (await changed.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        await Task.Delay(1_500);
        using var onB = security.Bearer(another, security.AddressB);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/auth/me")).StatusCode);
        using var renewed = security.Bearer(fresh, security.AddressB);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/auth/me")).StatusCode);

        using var login = security.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(login, user, "demo1234")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(login, user, "new-secret-9")).StatusCode);
    }

    [Fact]
    public async Task ChangeOwnPassword_AtAccountRoute_NamesTheFieldsAndRevokesOtherSessions_WhenCurrentIsRight()
    {
        var user = await security.NewUserAsync("acpw");
        var old = await security.TokenAsync(user, "demo1234");
        var other = await security.TokenAsync(user, "demo1234");
        using var client = security.Bearer(old);

        var wrong = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = "guess-0000", newPassword = "new-secret-9" });
        Assert.Equal(["currentPassword"], await ApiAssert.InvalidFieldsAsync(wrong));
        Assert.Equal(1, Convert.ToInt32(await security.ScalarAsync("select failed_logins from users where user_name = $1", user)));
        var weak = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = "demo1234", newPassword = "short" });
        Assert.Equal(["newPassword"], await ApiAssert.InvalidFieldsAsync(weak));

        var changed = await client.PostAsJsonAsync("/api/account/password", new { currentPassword = "demo1234", newPassword = "new-secret-9" });
        var fresh = (await ApiAssert.JsonAsync(changed, HttpStatusCode.OK))["token"]!.GetValue<string>();
        using var stale = security.Bearer(other);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/auth/me")).StatusCode);
        using var renewed = security.Bearer(fresh);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Deactivate_RevokesTokens_OnBothNodes()
    {
        var user = await security.NewUserAsync("deact");
        var token = await security.TokenAsync(user, "demo1234");
        using var onA = security.Bearer(token);
        using var onB = security.Bearer(token, security.AddressB);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/auth/me")).StatusCode);

        using var admin = await security.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/users/{user}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/auth/me")).StatusCode);

        // Node B remembered the session as valid for at most Accounts:SessionCheckSeconds (1 s here).
        await Task.Delay(1_500);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/auth/me")).StatusCode);
        using var login = security.Client(node: security.AddressB);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(login, user, "demo1234")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/users/{user}/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/auth/me")).StatusCode);
        using var back = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(back, user, "demo1234")).StatusCode);
    }

    [Fact]
    public async Task RevokeSessions_RevokesEveryTokenOfUser()
    {
        var user = await security.NewUserAsync("revoke");
        var tokens = new[] { await security.TokenAsync(user, "demo1234"), await security.TokenAsync(user, "demo1234", security.AddressB) };
        using var admin = await security.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/users/{user}/revoke-sessions", null)).StatusCode);
        await Task.Delay(1_500);
        foreach (var token in tokens)
        {
            foreach (var node in new[] { security.AddressA, security.AddressB })
            {
                using var client = security.Bearer(token, node);
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
            }
        }

        using var fresh = security.Bearer(await security.TokenAsync(user, "demo1234"));
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task BearerToken_Gets401_WhenExpired()
    {
        var user = await security.NewUserAsync("expired");
        var (valid, expired) = await ForgeAsync(user, BearerTokenDefaults.AuthenticationScheme, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(-1));
        using var ok = security.Bearer(valid);
        Assert.Equal(HttpStatusCode.OK, (await ok.GetAsync("/api/auth/me")).StatusCode);
        using var client = security.Bearer(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Login_IssuesTokenExpiringAfterConfiguredLifetime()
    {
        using var client = security.Client();
        var body = await (await SecurityFixture.LoginAsync(client, "cs02", "demo1234")).Content.ReadFromJsonAsync<JsonObject>();
        var expiresAt = body!["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(479), TimeSpan.FromMinutes(481));
    }

    [Fact]
    public async Task Cookie_Gets401_WhenExpiredOrOlderThanMaximum()
    {
        var user = await security.NewUserAsync("oldcookie");
        var (valid, expired) = await ForgeAsync(user, CookieAuthenticationDefaults.AuthenticationScheme, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(-1));
        var (tooOld, _) = await ForgeAsync(user, CookieAuthenticationDefaults.AuthenticationScheme, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), signedInAgo: TimeSpan.FromHours(25));
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(valid));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(expired));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(tooOld));
    }

    private async Task<HttpStatusCode> MeWithCookieAsync(string cookie)
    {
        using var client = security.Client(cookies: false);
        client.DefaultRequestHeaders.Add("Cookie", $"platform.auth={cookie}");
        return (await client.GetAsync("/api/auth/me")).StatusCode;
    }

    /// <summary>Two tickets of a real session protected with node A's keys, expiring after <paramref name="first"/> and <paramref name="second"/>.</summary>
    private async Task<(string First, string Second)> ForgeAsync(string userName, string scheme, TimeSpan first, TimeSpan second, TimeSpan? signedInAgo = null)
    {
        var services = security.NodeA.Services;
        var user = (await services.GetRequiredService<UserStore>().FindAsync(userName, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        var principal = TokenIssuer.CreatePrincipal(user, scheme, Guid.CreateVersion7(), now - (signedInAgo ?? TimeSpan.Zero));
        ISecureDataFormat<AuthenticationTicket> format = scheme == BearerTokenDefaults.AuthenticationScheme
            ? services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(scheme).BearerTokenProtector
            : services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme).TicketDataFormat;
        string Protect(TimeSpan lifetime) => format.Protect(new AuthenticationTicket(
            principal, new AuthenticationProperties { IssuedUtc = now - TimeSpan.FromMinutes(10), ExpiresUtc = now + lifetime }, scheme));
        return (Protect(first), Protect(second));
    }
}
