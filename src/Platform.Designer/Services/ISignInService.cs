using Microsoft.AspNetCore.Http;

namespace Platform.Designer.Services;

/// <summary>Signs a user in with the auth cookie; implemented by the runtime.</summary>
public interface ISignInService
{
    /// <summary>Checks the password (behind the lockout) and sets the cookie; the result says why not when it did not.</summary>
    Task<SignInResult> SignInAsync(HttpContext context, string userName, string password);
}
