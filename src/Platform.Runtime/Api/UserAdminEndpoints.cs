using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Account actions for admins, per user: <c>POST /api/admin/users/{userName}/deactivate</c> (ends the sessions),
/// <c>…/activate</c>, <c>…/unlock</c>, <c>…/revoke-sessions</c> → 204; an unknown user is 404. Listing, creating,
/// editing and password resets (which follow <see cref="PasswordPolicy"/>) are in <see cref="OrganisationEndpoints"/>.
/// </summary>
public static partial class UserAdminEndpoints
{
    public static RouteGroupBuilder MapUserAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/users").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Admin");
        // Listing, creating, editing and password resets are the organisation API's (OrganisationEndpoints).
        group.MapPost("/{userName}/deactivate", (string userName, UserStore users, SessionGuard sessions, CancellationToken ct) => SetActiveAsync(userName, false, users, sessions, ct))
            .WithName("DeactivateUser");
        group.MapPost("/{userName}/activate", (string userName, UserStore users, SessionGuard sessions, CancellationToken ct) => SetActiveAsync(userName, true, users, sessions, ct))
            .WithName("ActivateUser");
        group.MapPost("/{userName}/unlock", UnlockAsync).WithName("UnlockUser");
        group.MapPost("/{userName}/revoke-sessions", RevokeSessionsAsync).WithName("RevokeUserSessions");
        return group;
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
