using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Platform.Designer.Services;
using Platform.Runtime.Security;

namespace Platform.Runtime.Ui;

/// <summary>Signs the browser in with the auth cookie after checking the password.</summary>
public sealed class CookieSignInService(UserStore users) : ISignInService
{
    public async Task<bool> SignInAsync(HttpContext context, string userName, string password)
    {
        var user = await users.VerifyAsync(userName.Trim(), password, context.RequestAborted);
        if (user is null)
        {
            return false;
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, TokenIssuer.CreatePrincipal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return true;
    }
}
