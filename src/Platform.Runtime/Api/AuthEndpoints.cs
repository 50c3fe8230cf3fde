using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>Login (bearer token for API clients, cookie for the browser), logout and the current user.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().WithName("Login");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization().WithName("Logout");
        group.MapGet("/me", Me).RequireAuthorization().WithName("Me");
        return group;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, [FromServices] UserStore users, [FromServices] TokenIssuer tokens, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var userName = body!["userName"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? body["userName"]!.GetValue<string>() : null;
        var password = body["password"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? body["password"]!.GetValue<string>() : null;
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

        var user = await users.VerifyAsync(userName!.Trim(), password!, ct);
        if (user is null)
        {
            return TypedResults.Problem(title: "Wrong user name or password / 用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
        }

        var (token, expiresAt) = tokens.Issue(user);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, TokenIssuer.CreatePrincipal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.Ok(new LoginResponse(token, expiresAt, user.UserName, user.DisplayName, user.Roles));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, CancellationToken ct)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static IResult Me(ClaimsPrincipal user) => TypedResults.Ok(new
    {
        userName = user.Identity?.Name,
        displayName = user.FindFirstValue("display_name"),
        roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
    });
}
