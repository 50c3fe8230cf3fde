using Microsoft.AspNetCore.Authentication.Cookies;

namespace Platform.Runtime.Security;

/// <summary>
/// Cross-site request forgery guard for the API. Bearer calls are never affected (a browser does not add the header by
/// itself). A state-changing <c>/api</c> call that relies on the cookie must send <c>X-Requested-With</c> — a custom header
/// a cross-site form cannot send and cross-site script cannot send without a CORS preflight, which this server never
/// grants — and any state-changing call a browser marks <c>Sec-Fetch-Site: cross-site</c> or <c>same-site</c> is refused.
/// The anonymous <c>/api/public</c> endpoints act as nobody and are left alone; the login page is a form with an antiforgery token.
/// </summary>
public sealed class CsrfProtectionMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Requested-With";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (IsStateChanging(request.Method)
            && request.Path.StartsWithSegments("/api")
            && !request.Path.StartsWithSegments("/api/public")
            && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var site = request.Headers["Sec-Fetch-Site"].ToString();
            if (site is "cross-site" or "same-site")
            {
                await RefuseAsync(http, "跨站请求被拒绝 / cross-site requests to the API are refused");
                return;
            }

            if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
                && !request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase)
                && string.IsNullOrWhiteSpace(request.Headers[HeaderName]))
            {
                await RefuseAsync(http, $"以 Cookie 登录调用接口须带请求头 {HeaderName} / cookie-authenticated API calls must send the {HeaderName} header");
                return;
            }
        }

        await next(http);
    }

    private static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private static Task RefuseAsync(HttpContext http, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.Response.WriteAsJsonAsync(
            new { title = "CSRF check failed / 请求来源校验失败", status = StatusCodes.Status403Forbidden, detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
