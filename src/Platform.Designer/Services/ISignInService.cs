using Microsoft.AspNetCore.Http;

namespace Platform.Designer.Services;

/// <summary>Signs a user in with the auth cookie; implemented by the runtime.</summary>
public interface ISignInService
{
    Task<bool> SignInAsync(HttpContext context, string userName, string password);
}
