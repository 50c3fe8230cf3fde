using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>
/// Password checks behind the lockout, shared by <c>POST /api/auth/login</c>, the login page and "change my password":
/// a locked name is refused before its password is looked at, a wrong password counts toward the lock, a right one clears it.
/// </summary>
public sealed class LoginService(UserStore users, LoginLockout lockout, TimeProvider time)
{
    public async Task<LoginOutcome> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var attempt = await lockout.BeginAsync(userName, ct);
        if (attempt.Number is null)
        {
            return new LoginOutcome(null, attempt.LockedUntil ?? time.GetUtcNow());
        }

        var user = await users.VerifyAsync(userName, password, ct);
        if (user is null)
        {
            return new LoginOutcome(null, await lockout.FailAsync(attempt, ct));
        }

        await lockout.SucceedAsync(userName, ct);
        return new LoginOutcome(user, null);
    }

    /// <summary>Gives the browser the auth cookie of session <paramref name="sessionId"/> (Secure when the request is HTTPS).</summary>
    public async Task SignInCookieAsync(HttpContext http, UserRow user, Guid sessionId)
    {
        var principal = TokenIssuer.CreatePrincipal(user, CookieAuthenticationDefaults.AuthenticationScheme, sessionId, time.GetUtcNow());
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>Seconds until <paramref name="until"/>, at least one: the Retry-After of a locked name.</summary>
    public int SecondsUntil(DateTimeOffset until) => Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
}
