using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Security;

/// <summary>Brute force against one user name: the lock, its sharing across nodes, its reset, and that it says nothing about which names exist.</summary>
[Collection("security")]
public sealed class LockoutTests(SecurityFixture security)
{
    private const string Wrong = "wrong-pass-1";

    [Fact]
    public async Task Login_LocksUserNameEvenForRightPassword_AfterFiveWrongPasswords()
    {
        var user = await security.NewUserAsync("brute");
        using var client = security.Client();
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(client, user, Wrong)).StatusCode);
        }

        // The fifth failure locks, and says so.
        Assert.Equal(HttpStatusCode.Locked, (await SecurityFixture.LoginAsync(client, user, Wrong)).StatusCode);

        var refused = await SecurityFixture.LoginAsync(client, user, "demo1234");
        Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalSeconds, 14 * 60, 15 * 60);
        Assert.Equal(0L, Convert.ToInt64(await security.ScalarAsync("select failed_logins from users where user_name = $1", user)));
        Assert.NotNull(await security.ScalarAsync("select locked_until from users where user_name = $1 and locked_until > now()", user));
    }

    [Fact]
    public async Task Login_IsLockedOnSecondNode_WhenLockedOnFirst()
    {
        var user = await security.NewUserAsync("twonode");
        using var a = security.Client();
        for (var i = 0; i < 5; i++)
        {
            await SecurityFixture.LoginAsync(a, user, Wrong);
        }

        using var b = security.Client(node: security.AddressB);
        Assert.Equal(HttpStatusCode.Locked, (await SecurityFixture.LoginAsync(b, user, "demo1234")).StatusCode);
    }

    [Fact]
    public async Task Login_CountsFailuresOnBothNodesTogether()
    {
        var user = await security.NewUserAsync("split");
        using var a = security.Client();
        using var b = security.Client(node: security.AddressB);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(i % 2 == 0 ? a : b, user, Wrong)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Locked, (await SecurityFixture.LoginAsync(b, user, Wrong)).StatusCode);
    }

    [Fact]
    public async Task Login_StartsCountingAgain_AfterSuccessfulLogin()
    {
        var user = await security.NewUserAsync("reset");
        for (var round = 0; round < 2; round++)
        {
            using var client = security.Client();
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await SecurityFixture.LoginAsync(client, user, Wrong)).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(client, user, "demo1234")).StatusCode);
        }

        Assert.Equal(0L, Convert.ToInt64(await security.ScalarAsync("select failed_logins from users where user_name = $1", user)));
    }

    [Fact]
    public async Task Login_AnswersUnknownUserNameExactlyAsKnownOne_WhileGuessing()
    {
        var known = await security.NewUserAsync("exists");
        var unknown = $"ghost-{Guid.NewGuid().ToString("N")[..8]}";
        var knownAnswers = await GuessFiveTimesThenRightAsync(known);
        var unknownAnswers = await GuessFiveTimesThenRightAsync(unknown);
        Assert.Equal(knownAnswers, unknownAnswers);
        Assert.Equal(
            [.. Enumerable.Repeat("401", 4), "423 retry", "423 retry"],
            knownAnswers.Select(a => a.Split(' ')[0] + (a.Contains("retry", StringComparison.Ordinal) ? " retry" : string.Empty)).ToArray());
    }

    [Fact]
    public async Task Unlock_LetsUserSignInAgain_WhenAdminUnlocks()
    {
        var user = await security.NewUserAsync("unlock");
        using (var client = security.Client())
        {
            for (var i = 0; i < 5; i++)
            {
                await SecurityFixture.LoginAsync(client, user, Wrong);
            }

            Assert.Equal(HttpStatusCode.Locked, (await SecurityFixture.LoginAsync(client, user, "demo1234")).StatusCode);
        }

        using (var notAdmin = security.Bearer(await security.TokenAsync("cs01", "demo1234")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await notAdmin.PostAsync($"/api/admin/users/{user}/unlock", null)).StatusCode);
        }

        using var admin = await security.AdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/admin/users/{user}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/admin/users/nobody-here/unlock", null)).StatusCode);
        Assert.Equal(0L, await security.ScalarAsync("select count(*) from users where user_name = $1 and locked_until is not null", user));

        using var again = security.Client();
        Assert.Equal(HttpStatusCode.OK, (await SecurityFixture.LoginAsync(again, user, "demo1234")).StatusCode);
    }

    [Fact]
    public async Task Login_ChecksAtMostFivePasswords_WhenGuessesArriveInParallel()
    {
        var user = await security.NewUserAsync("burst");

        // Twelve guesses at once, each from its own address so the per-address limit does not hide what the lockout does.
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var client = security.Client();
            return (await SecurityFixture.LoginAsync(client, user, Wrong)).StatusCode;
        }));
        Assert.True(answers.Count(a => a == HttpStatusCode.Unauthorized) <= 4, string.Join(",", answers));
        Assert.Equal(12, answers.Count(a => a is HttpStatusCode.Unauthorized or HttpStatusCode.Locked));
        using var late = security.Client();
        Assert.Equal(HttpStatusCode.Locked, (await SecurityFixture.LoginAsync(late, user, "demo1234")).StatusCode);
    }

    private async Task<string[]> GuessFiveTimesThenRightAsync(string userName)
    {
        using var client = security.Client();
        var answers = new List<string>();
        foreach (var password in new[] { Wrong, Wrong, Wrong, Wrong, Wrong, "demo1234" })
        {
            var response = await SecurityFixture.LoginAsync(client, userName, password);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            answers.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body!["title"]} {body["detail"]}"
                + (response.Headers.RetryAfter is not null ? " retry" : string.Empty));
        }

        return [.. answers];
    }
}
