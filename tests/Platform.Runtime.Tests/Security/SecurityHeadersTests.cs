using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Security;

/// <summary>Security headers on pages, API answers, error answers and public form pages; files keep their own stricter policy.</summary>
[Collection("security")]
public sealed class SecurityHeadersTests(SecurityFixture security)
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/track")]
    [InlineData("/api/auth/me")]
    [InlineData("/api/public/track/RT000?phone=1")]
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    public async Task Response_CarriesSecurityHeaders_AndForbidsFraming(string path)
    {
        using var client = security.Client();
        var response = await client.GetAsync(path);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.EndsWith("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task PublicFormPage_MayBeFramedOnlyByConfiguredSites()
    {
        using var admin = await security.AdminAsync();
        var token = (await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))![0]!["token"]!.GetValue<string>();
        using var client = security.Client();
        var page = await client.GetAsync($"/f/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.EndsWith($"frame-ancestors 'self' {SecurityNodeFactory.EmbedOrigin}", Header(page, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(page.Headers.Contains("X-Frame-Options"));
        Assert.Equal("nosniff", Header(page, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task FileDownload_KeepsItsSandboxPolicy()
    {
        using var client = security.Bearer(await security.TokenAsync("cs01", "demo1234"));
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", "a.png");
        var created = await client.PostAsync("/api/files", content);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = (await created.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>();
        var served = await client.GetAsync(url);
        Assert.Equal("sandbox; default-src 'none'", Header(served, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(served, "X-Content-Type-Options"));
    }

    internal static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
}
