using System.Net;
using System.Net.Http.Json;

namespace Platform.Runtime.Tests.Security;

/// <summary>Cross-site request forgery: the cookie alone never changes anything through the API; bearer clients are unaffected.</summary>
[Collection("security")]
public sealed class CsrfTests(SecurityFixture security)
{
    [Fact]
    public async Task CookieApiWrite_Returns403_WithoutCustomHeader()
    {
        using var browser = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(browser, "cs01", "demo1234")).StatusCode);

        // What a forged cross-site form post looks like: the browser adds the cookie, nothing else.
        var forged = await browser.PostAsync("/api/notifications/read-all", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Requested-With", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/read-all");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        Assert.True((await browser.SendAsync(request)).IsSuccessStatusCode);

        // Reading with the cookie stays as it was.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task BearerApiWrite_NeedsNoCustomHeader()
    {
        using var client = security.Bearer(await security.TokenAsync("cs01", "demo1234"));
        Assert.True((await client.PostAsync("/api/notifications/read-all", null)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task CrossSiteLogin_Returns403_WhenBrowserMarksItCrossSite()
    {
        using var client = security.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "cs01", password = "demo1234" }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task UiLogout_Returns400_WithoutAntiforgeryToken()
    {
        using var browser = security.Client();
        await SecurityFixture.LoginAsync(browser, "cs01", "demo1234");
        var forged = await browser.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);
    }
}
