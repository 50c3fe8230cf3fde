using Platform.Designer.Services;
using Platform.Runtime.Security;

namespace Platform.Runtime.Ui;

/// <summary>The login page: the same password check and lockout as <c>POST /api/auth/login</c>, then the auth cookie.</summary>
public sealed class CookieSignInService(LoginService login) : ISignInService
{
    public async Task<SignInResult> SignInAsync(HttpContext context, string userName, string password)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new SignInResult(false);
        }

        var outcome = await login.CheckAsync(userName.Trim(), password, context.RequestAborted);
        if (outcome.LockedUntil is { } until)
        {
            return new SignInResult(false, (int)Math.Ceiling(login.SecondsUntil(until) / 60.0));
        }

        if (outcome.User is not { } user)
        {
            return new SignInResult(false);
        }

        await login.SignInCookieAsync(context, user, Guid.CreateVersion7());
        return new SignInResult(true);
    }
}
