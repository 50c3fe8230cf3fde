using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Platform.Runtime.Security;

/// <summary>
/// Runs right after authentication: a token or cookie whose session was revoked (logout, password change, deactivation,
/// revoke all) or whose cookie outlived its absolute lifetime turns the request anonymous — 401 for the API, the login
/// page for the UI — and a dead cookie is deleted.
/// </summary>
public sealed class SessionValidationMiddleware(RequestDelegate next, SessionGuard guard)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated == true && !await guard.IsValidAsync(http.User, http.RequestAborted))
        {
            if (http.User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }

            http.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(http);
    }
}
