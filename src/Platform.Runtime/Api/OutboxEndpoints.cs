using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>What the platform sent (or tried to): outbox messages and their delivery attempts; administrators only.</summary>
public static class OutboxEndpoints
{
    private static readonly HashSet<string> Statuses = ["pending", "sending", "sent", "failed", "refused"];

    public static RouteGroupBuilder MapOutboxApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/outbox").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Outbox");
        group.MapGet("/", ListAsync).WithName("ListOutbox");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetOutboxMessage");
        return group;
    }

    private static async Task<IResult> ListAsync([FromQuery] string? status, [FromQuery] string? kind, [FromQuery] int? limit, [FromServices] OutboxStore store, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status))
        {
            return Problems.Validation("status", "取值 pending | sending | sent | failed | refused");
        }

        return TypedResults.Ok(await store.ListAsync(NullIfEmpty(status), NullIfEmpty(kind), Math.Clamp(limit ?? 50, 1, 200), ct));
    }

    private static async Task<IResult> GetAsync(Guid id, [FromServices] OutboxStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } message ? TypedResults.Ok(message) : Problems.NotFound($"No outbox message {id}.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
