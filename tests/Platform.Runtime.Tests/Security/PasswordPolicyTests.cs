using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;

namespace Platform.Runtime.Tests.Security;

/// <summary>The password policy wherever a password is set: user creation, admin reset, change my password.</summary>
[Collection("security")]
public sealed class PasswordPolicyTests(SecurityFixture security)
{
    [Theory]
    [InlineData("ab1", "minLength")]
    [InlineData("abcdefghij", "digit")]
    [InlineData("1234567890", "letter")]
    [InlineData("", "minLength")]
    public async Task CreateUser_Returns422NamingPasswordAndRule_WhenPolicyBroken(string password, string rule)
    {
        using var admin = await security.AdminAsync();
        var userName = $"weak-{Guid.NewGuid().ToString("N")[..8]}";
        var response = await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = "弱密码", password, roles = new[] { "customer_service" } });
        Assert.Equal(["password"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Contains(await RulesAsync(response, "password"), m => m.StartsWith(rule + ":", StringComparison.Ordinal));
        Assert.Null(await security.ScalarAsync("select id from users where user_name = $1", userName));
    }

    [Fact]
    public async Task CreateUser_AcceptsDemoPassword()
    {
        var user = await security.NewUserAsync("demo", "demo1234");
        using var client = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(client, user, "demo1234")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_Returns422NamingNewPassword_WhenPolicyBroken()
    {
        var user = await security.NewUserAsync("chweak");
        using var client = security.Bearer(await security.TokenAsync(user, "demo1234"));
        var response = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "demo1234", newPassword = "short" });
        Assert.Equal(["newPassword"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Contains(await RulesAsync(response, "newPassword"), m => m.StartsWith("minLength:", StringComparison.Ordinal));

        var same = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "demo1234", newPassword = "demo1234" });
        Assert.Contains(await RulesAsync(same, "newPassword"), m => m.StartsWith("notCurrent:", StringComparison.Ordinal));

        // Nothing changed: the old password and the token still work.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Returns422AndCountsTowardLockout()
    {
        var user = await security.NewUserAsync("chwrong");
        using var client = security.Bearer(await security.TokenAsync(user, "demo1234"));
        var response = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "guess-0000", newPassword = "new-secret-9" });
        Assert.Equal(["currentPassword"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(1L, Convert.ToInt64(await security.ScalarAsync("select failed_logins from users where user_name = $1", user)));
    }

    [Fact]
    public async Task AdminSetPassword_EnforcesPolicy_AndEndsSessions()
    {
        var user = await security.NewUserAsync("reset");
        using var session = security.Bearer(await security.TokenAsync(user, "demo1234"));
        using var admin = await security.AdminAsync();
        Assert.Equal(["password"], await ApiAssert.InvalidFieldsAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user}/password", new { password = "onlyletters" })));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/admin/users/{user}/password", new { password = "reset-pass-7" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me")).StatusCode);
        using var login = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(login, user, "reset-pass-7")).StatusCode);
    }

    [Fact]
    public async Task CreateUser_Returns422NamingUserName_WhenNameTaken()
    {
        using var admin = await security.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "cs01", displayName = "重复", password = "demo1234a", roles = new[] { "customer_service" } });
        Assert.Equal(["userName"], await ApiAssert.InvalidFieldsAsync(response));
    }

    private static async Task<string[]> RulesAsync(HttpResponseMessage response, string field) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
}
