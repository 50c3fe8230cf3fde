using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Api;

/// <summary>
/// Login-free customer endpoints: <c>GET /api/public/track/{trackingNo}?phone=…</c> answers the request's status
/// and its timeline (the public entries of its flow history), like a parcel; <c>POST /api/public/track</c>
/// <c>{ trackingNo, phone }</c> answers the same without the phone in the address (and so in no access log). A wrong number
/// and a wrong phone get the very same 404; both count toward the per-address limit (429 with Retry-After).
/// </summary>
public static class PublicEndpoints
{
    public const string TrackRateLimitPolicy = "public-track";

    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/public").AllowAnonymous().WithTags("Public");
        group.MapGet("/track/{trackingNo}", TrackAsync).WithName("Track").RequireRateLimiting(TrackRateLimitPolicy);
        group.MapPost("/track", TrackPostAsync).WithName("TrackByBody").RequireRateLimiting(TrackRateLimitPolicy);
        return group;
    }

    private static async Task<IResult> TrackPostAsync(HttpContext http, [FromServices] TrackingLookup tracking, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        return await TrackAsync(Text(body!["trackingNo"]) ?? string.Empty, Text(body["phone"]), tracking, ct);
    }

    private static string? Text(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

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
