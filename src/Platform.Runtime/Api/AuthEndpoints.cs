using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Login (bearer token for API clients, cookie for the browser), logout (ends that sign-in's token and cookie), the current
/// user and "change my password". A locked user name is 423 with Retry-After; too many attempts from one address is 429.
/// </summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().WithName("Login");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization().WithName("Logout");
        group.MapGet("/me", Me).RequireAuthorization().WithName("Me");
        group.MapPost("/password", ChangePasswordAsync).RequireAuthorization().WithName("ChangePassword");
        // The same "change my password" under the account area the UI's /account screen belongs to.
        routes.MapPost("/api/account/password", ChangePasswordAsync).RequireAuthorization().WithTags("Auth").WithName("ChangeOwnPassword");
        return group;
    }

    /// <summary>423 Locked with Retry-After: the same answer whether or not the user name exists.</summary>
    internal static IResult Locked(HttpContext http, int seconds)
    {
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var minutes = (int)Math.Ceiling(seconds / 60.0);
        return TypedResults.Problem(
            title: "Account locked / 账户已锁定",
            detail: $"登录失败次数过多，请 {minutes} 分钟后再试或联系管理员解锁 / too many failed sign-ins; try again in {minutes} min or ask an administrator to unlock",
            statusCode: StatusCodes.Status423Locked);
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, [FromServices] LoginService login, [FromServices] TokenIssuer tokens, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var userName = Text(body!, "userName");
        var password = Text(body!, "password");
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (string.IsNullOrWhiteSpace(userName))
        {
            errors["userName"] = ["required / 请输入用户名"];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["required / 请输入密码"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var outcome = await login.CheckAsync(userName!.Trim(), password!, ct);
        if (outcome.LockedUntil is { } until)
        {
            return Locked(http, login.SecondsUntil(until));
        }

        if (outcome.User is not { } user)
        {
            return TypedResults.Problem(title: "Wrong user name or password / 用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
        }

        return TypedResults.Ok(await StartSessionAsync(http, user, login, tokens, cookie: true));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, [FromServices] SessionGuard sessions, CancellationToken ct)
    {
        await sessions.RevokeSessionAsync(http.User, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static IResult Me(ClaimsPrincipal user) => TypedResults.Ok(new
    {
        userName = user.Identity?.Name,
        displayName = user.FindFirstValue("display_name"),
        roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
    });

    /// <summary>
    /// <c>{ currentPassword, newPassword }</c>: a wrong current password is 422 on <c>currentPassword</c> and counts toward the
    /// lockout; a new one against the policy is 422 on <c>newPassword</c> naming each rule. Success ends every other session of
    /// the user and answers a fresh token (and cookie, when the call came with one) like login.
    /// </summary>
    private static async Task<IResult> ChangePasswordAsync(
        HttpContext http, [FromServices] LoginService login, [FromServices] PasswordChange change, [FromServices] TokenIssuer tokens, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await change.ChangeAsync(RecordsEndpoints.UserName(http.User), Text(body!, "currentPassword"), Text(body!, "newPassword"), ct);
        if (outcome.LockedUntil is { } until)
        {
            return Locked(http, login.SecondsUntil(until));
        }

        if (outcome.Changed is not { } changed)
        {
            return Problems.Validation(outcome.Errors, outcome.Errors.ContainsKey("newPassword") ? "The new password does not meet the policy / 新密码不符合要求" : null);
        }

        var cookie = http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme;
        return TypedResults.Ok(await StartSessionAsync(http, changed, login, tokens, cookie));
    }

    private static async Task<LoginResponse> StartSessionAsync(HttpContext http, UserRow user, LoginService login, TokenIssuer tokens, bool cookie)
    {
        var sessionId = Guid.CreateVersion7();
        var (token, expiresAt) = tokens.Issue(user, sessionId);
        if (cookie)
        {
            await login.SignInCookieAsync(http, user, sessionId);
        }

        return new LoginResponse(token, expiresAt, user.UserName, user.DisplayName, user.Roles);
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
