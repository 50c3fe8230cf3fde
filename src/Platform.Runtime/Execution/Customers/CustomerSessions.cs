using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// Customer session tokens: app, phone and expiry encrypted and signed with Data Protection under a purpose of their
/// own, so they are useless as staff bearer tokens or cookies (and those are useless here). They travel in the
/// HttpOnly cookie <see cref="CookieName"/> or the <see cref="HeaderName"/> header, never in the staff schemes.
/// </summary>
public sealed class CustomerSessions(IDataProtectionProvider protection, PlatformSettings settings, TimeProvider time)
{
    public const string CookieName = "platform.customer";

    public const string HeaderName = "X-Customer-Session";

    private const string Version = "cs1";

    private readonly IDataProtector protector = protection.CreateProtector("Platform.CustomerSession.v1");

    /// <summary>A new session for a phone that just proved itself.</summary>
    public (string Token, CustomerSession Session) Issue(string app, string phone)
    {
        var session = new CustomerSession(app, phone, time.GetUtcNow().AddMinutes(Math.Clamp(settings.Customer.SessionMinutes, 1, 24 * 60)));
        var payload = string.Join('\n', Version, app, phone, session.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return (protector.Protect(payload), session);
    }

    /// <summary>The session a token carries when it is genuine and not expired, else null.</summary>
    public CustomerSession? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1024)
        {
            return null;
        }

        string payload;
        try
        {
            payload = protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n');
        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var session = new CustomerSession(parts[1], parts[2], DateTimeOffset.FromUnixTimeSeconds(expires));
        return session.ExpiresAt > time.GetUtcNow() ? session : null;
    }

    /// <summary>The session of a request (header first, then cookie) for <paramref name="app"/>, or null.</summary>
    public CustomerSession? FromRequest(HttpRequest request, string app)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[HeaderName].ToString();
        var session = Read(header.Length > 0 ? header : request.Cookies[CookieName]);
        return session?.App == app ? session : null;
    }

    /// <summary>Sets the HttpOnly session cookie (Secure on HTTPS), valid as long as the session.</summary>
    public static void SetCookie(HttpResponse response, string token, CustomerSession session)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = response.HttpContext.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Expires = session.ExpiresAt,
            IsEssential = true,
        });
    }

    public static void ClearCookie(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps });
    }
}
