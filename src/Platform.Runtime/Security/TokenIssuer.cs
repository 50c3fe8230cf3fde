using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>
/// Builds the principal of a user and issues its bearer token (protected by the shared data-protection keys). Every
/// principal carries its session id, the user's security stamp and the sign-in time, which <see cref="SessionGuard"/>
/// checks on each request.
/// </summary>
public sealed class TokenIssuer(IOptionsMonitor<BearerTokenOptions> options, TimeProvider time)
{
    public static ClaimsPrincipal CreatePrincipal(UserRow user, string scheme, Guid sessionId, DateTimeOffset authTime)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.UserName),
            new("display_name", user.DisplayName),
            new(SessionClaims.SessionId, sessionId.ToString()),
            new(SessionClaims.SecurityStamp, user.SecurityStamp),
            new(SessionClaims.AuthTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(UserRow user, Guid sessionId)
    {
        var o = options.Get(BearerTokenDefaults.AuthenticationScheme);
        var now = time.GetUtcNow();
        var expires = now + o.BearerTokenExpiration;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires };
        var ticket = new AuthenticationTicket(CreatePrincipal(user, BearerTokenDefaults.AuthenticationScheme, sessionId, now), properties, BearerTokenDefaults.AuthenticationScheme);
        return (o.BearerTokenProtector.Protect(ticket), expires);
    }
}
