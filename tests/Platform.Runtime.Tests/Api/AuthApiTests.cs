using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

[Collection("platform")]
public sealed class AuthApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task Login_ReturnsToken_ForDemoUser()
    {
        using var client = platform.Anonymous();
        var body = await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/auth/login", new { userName = "cs01", password = "demo1234" }), HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(body["token"]!.GetValue<string>()));
        Assert.Contains("customer_service", body["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Login_Returns401_ForWrongPassword()
    {
        using var client = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { userName = "cs01", password = "wrong" })).StatusCode);
    }

    [Fact]
    public async Task Me_ReturnsUser_WithBearerToken()
    {
        using var client = await platform.ClientForAsync("sup01");
        var me = await client.GetFromJsonAsync<JsonObject>("/api/auth/me");
        Assert.Equal("sup01", me!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Passwords_AreStoredHashed()
    {
        var hashes = await platform.CountAsync("select count(*) from users where password_hash like 'AQAAAA%' and password_hash <> 'demo1234'");
        Assert.Equal(await platform.CountAsync("select count(*) from users"), hashes);
    }
}
