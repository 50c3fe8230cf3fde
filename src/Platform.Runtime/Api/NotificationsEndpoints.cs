using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>In-app notifications of the signed-in user (the bell).</summary>
public static class NotificationsEndpoints
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        group.MapGet("/", ListAsync).WithName("ListNotifications");
        group.MapPost("/{id:long}/read", ReadAsync).WithName("ReadNotification");
        group.MapPost("/read-all", ReadAllAsync).WithName("ReadAllNotifications");
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromQuery] bool? unread, [FromQuery] int? limit, [FromServices] InboxStore inbox, CancellationToken ct)
    {
        var (items, count) = await inbox.NotificationsAsync(http.User.Identity!.Name!, unread ?? false, Math.Clamp(limit ?? 50, 1, 200), ct);
        return TypedResults.Ok(new { Items = items, Unread = count });
    }

    private static async Task<IResult> ReadAsync(long id, HttpContext http, [FromServices] InboxStore inbox, CancellationToken ct) =>
        await inbox.MarkReadAsync(http.User.Identity!.Name!, id, ct) > 0 ? TypedResults.NoContent() : Problems.NotFound($"没有未读通知 {id}");

    private static async Task<IResult> ReadAllAsync(HttpContext http, [FromServices] InboxStore inbox, CancellationToken ct) =>
        TypedResults.Ok(new { Read = await inbox.MarkReadAsync(http.User.Identity!.Name!, null, ct) });
}
