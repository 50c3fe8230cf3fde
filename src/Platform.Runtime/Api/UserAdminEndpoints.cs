using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// User administration (admins): <c>GET /api/admin/users</c>; <c>POST /api/admin/users</c>
/// <c>{ userName, displayName, password, roles, phone?, email? }</c> → 201; per user <c>POST …/{userName}/password</c>
/// <c>{ password }</c> (sets it, ends the user's sessions, lifts a lock), <c>…/deactivate</c> (ends the sessions),
/// <c>…/activate</c>, <c>…/unlock</c>, <c>…/revoke-sessions</c> → 204; an unknown user is 404. Passwords follow
/// <see cref="PasswordPolicy"/> (422 on <c>password</c> naming each rule).
/// </summary>
public static partial class UserAdminEndpoints
{
    public static RouteGroupBuilder MapUserAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/users").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Admin");
        group.MapGet("/", ListAsync).WithName("ListUsers");
        group.MapPost("/", CreateAsync).WithName("CreateUser");
        group.MapPost("/{userName}/password", SetPasswordAsync).WithName("SetUserPassword");
        group.MapPost("/{userName}/deactivate", (string userName, UserStore users, SessionGuard sessions, CancellationToken ct) => SetActiveAsync(userName, false, users, sessions, ct))
            .WithName("DeactivateUser");
        group.MapPost("/{userName}/activate", (string userName, UserStore users, SessionGuard sessions, CancellationToken ct) => SetActiveAsync(userName, true, users, sessions, ct))
            .WithName("ActivateUser");
        group.MapPost("/{userName}/unlock", UnlockAsync).WithName("UnlockUser");
        group.MapPost("/{userName}/revoke-sessions", RevokeSessionsAsync).WithName("RevokeUserSessions");
        return group;
    }

    private static async Task<IResult> ListAsync([FromServices] UserStore users, [FromServices] NpgsqlDataSource dataSource, [FromServices] TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var locks = new Dictionary<string, (int Failed, DateTimeOffset? Until)>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("select user_name, failed_logins, locked_until from users"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                locks[reader.GetString(0)] = (reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
            }
        }

        return TypedResults.Ok((await users.ListAsync(ct)).Select(u =>
        {
            var (failed, until) = locks.GetValueOrDefault(u.UserName);
            return new UserAdminDto(u.UserName, u.DisplayName, u.Roles, u.Phone, u.Email, u.IsActive, failed, until > now ? until : null);
        }));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromServices] UserStore users, [FromServices] PasswordPolicy policy, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var userName = Text(body!, "userName")?.Trim();
        if (userName is null || !NamePattern().IsMatch(userName))
        {
            errors["userName"] = ["2-64 个字母、数字或 . _ - / 2-64 letters, digits or . _ -"];
        }

        var displayName = Text(body!, "displayName")?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > 100)
        {
            errors["displayName"] = ["required, at most 100 characters / 必填，最多 100 字"];
        }

        var password = Text(body!, "password");
        if (policy.Check(password, userName) is { Count: > 0 } broken)
        {
            errors["password"] = broken;
        }

        var roles = new List<string>();
        if (body!["roles"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && NamePattern().IsMatch(v.GetValue<string>()))
                {
                    roles.Add(v.GetValue<string>());
                }
                else
                {
                    errors[$"roles[{i}]"] = ["a role key / 角色标识"];
                }
            }
        }
        else if (body["roles"] is not null)
        {
            errors["roles"] = ["an array of role keys / 角色标识数组"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var created = await users.CreateAsync(userName!, displayName!, password!, roles.Distinct(StringComparer.Ordinal).ToList(), ct, Text(body, "phone"), Text(body, "email"));
        return created
            ? TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(userName!)}", new { userName, displayName, roles })
            : Problems.Conflict($"用户「{userName}」已存在 / user '{userName}' exists");
    }

    private static async Task<IResult> SetPasswordAsync(
        string userName, HttpContext http, [FromServices] UserStore users, [FromServices] PasswordPolicy policy, [FromServices] LoginLockout lockout,
        [FromServices] SessionGuard sessions, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var password = Text(body!, "password");
        if (policy.Check(password, userName) is { Count: > 0 } broken)
        {
            return Problems.Validation(new Dictionary<string, IReadOnlyList<string>> { ["password"] = broken }, "The password does not meet the policy / 密码不符合要求");
        }

        if (await users.SetPasswordAsync(userName, password!, ct) is null)
        {
            return NoUser(userName);
        }

        sessions.Forget();
        await lockout.UnlockAsync(userName, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SetActiveAsync(string userName, bool active, UserStore users, SessionGuard sessions, CancellationToken ct)
    {
        if (!await users.SetActiveAsync(userName, active, ct))
        {
            return NoUser(userName);
        }

        sessions.Forget();
        return TypedResults.NoContent();
    }

    private static async Task<IResult> UnlockAsync(string userName, [FromServices] LoginLockout lockout, CancellationToken ct) =>
        await lockout.UnlockAsync(userName, ct) ? TypedResults.NoContent() : NoUser(userName);

    private static async Task<IResult> RevokeSessionsAsync(string userName, [FromServices] SessionGuard sessions, CancellationToken ct) =>
        await sessions.RevokeAllAsync(userName, ct) ? TypedResults.NoContent() : NoUser(userName);

    private static IResult NoUser(string userName) => Problems.NotFound($"没有用户「{userName}」/ no user '{userName}'");

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$")]
    private static partial Regex NamePattern();
}
