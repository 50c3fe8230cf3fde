using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Api;

/// <summary>
/// Login-free customer endpoints: <c>GET /api/public/track/{trackingNo}?phone=…</c> answers the request's status
/// and its timeline (the public entries of its flow history), like a parcel. A wrong number or phone is 404.
/// </summary>
public static class PublicEndpoints
{
    public const string TrackRateLimitPolicy = "public-track";

    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/public").AllowAnonymous().WithTags("Public");
        group.MapGet("/track/{trackingNo}", TrackAsync).WithName("Track").RequireRateLimiting(TrackRateLimitPolicy);
        return group;
    }

    private static async Task<IResult> TrackAsync(string trackingNo, [FromQuery] string? phone, [FromServices] TrackingLookup tracking, CancellationToken ct)
    {
        if (await tracking.FindAsync(trackingNo, phone, ct) is not { } found)
        {
            return Problems.NotFound("没有找到该单号，或手机号不匹配 / no request with this number and phone");
        }

        return TypedResults.Ok(new
        {
            found.TrackingNo,
            found.Status,
            found.StatusLabel,
            found.FlowStatus,
            Timeline = found.Timeline.Select(h => new { h.At, h.Step, Status = h.Action, Text = TrackingLookup.Text(h) }),
        });
    }
}
