using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Security;

/// <summary>Bodies too deep or too big are the client's clear 400 / 413 problem, never a 500; uploads keep their larger limit.</summary>
[Collection("security")]
public sealed class RequestLimitTests(SecurityFixture security)
{
    [Theory]
    [InlineData("/api/auth/login")]
    [InlineData("/api/apps/after_sales/entities/customer/records")]
    [InlineData("/api/public/track")]
    [InlineData("/api/admin/outbound-allowlist")]
    public async Task DeepJson_Returns400NamingTheDepthLimit(string path)
    {
        using var client = security.Bearer(await security.TokenAsync("admin", SecurityNodeFactory.AdminPassword));
        var deep = "{\"data\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) + "}";
        using var body = new StringContent(deep, Encoding.UTF8, "application/json");
        var response = path.EndsWith("allowlist", StringComparison.Ordinal) ? await client.PutAsync(path, body) : await client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("nested too deeply", problem!["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("32", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BigJsonBody_Returns413Problem()
    {
        using var client = security.Bearer(await security.TokenAsync("cs01", "demo1234"));
        var big = JsonContent.Create(new { data = new { name = new string('x', SecurityNodeFactory.MaxBodyBytes + 1024) } });
        var response = await client.PostAsync("/api/apps/after_sales/entities/customer/records", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("too large", (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/logout", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("/login", HttpStatusCode.BadRequest)]
    public async Task BigFormPost_IsClientError_NotServerError(string path, HttpStatusCode expected)
    {
        // The sign-out endpoint reads the form itself (413 problem); the login page's antiforgery check reads it first and
        // answers its own 400.
        using var client = security.Client();
        await SecurityFixture.LoginAsync(client, "cs01", "demo1234");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = new('x', SecurityNodeFactory.MaxBodyBytes + 1024), ["_handler"] = "login" });
        var response = await client.PostAsync(path, form);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Upload_IsAccepted_BeyondGeneralBodyLimit()
    {
        using var client = security.Bearer(await security.TokenAsync("cs01", "demo1234"));
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent([.. SecurityHeadersTests.Png, .. new byte[SecurityNodeFactory.MaxBodyBytes]]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", "big.png");
        var response = await client.PostAsync("/api/files", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
