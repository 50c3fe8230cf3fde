using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Customers;

namespace Platform.Runtime.Api;

/// <summary>
/// Login-free customer self-service. <c>POST /api/public/apps/{app}/otp</c> <c>{ phone }</c> sends a one-time code by SMS
/// (202; 422 naming <c>phone</c>; 429 with Retry-After); <c>POST …/otp/verify</c> <c>{ phone, code }</c> opens a customer
/// session (200 <c>{ token, expiresAt, phone }</c> and the HttpOnly cookie <c>platform.customer</c>; one generic 422 for
/// every wrong code); <c>GET …/my/requests</c> lists that phone's requests with their timelines (401 without a session);
/// <c>POST|DELETE …/session</c> sets or clears the cookie from a token; <c>GET /api/public/links/{token}</c> is the one
/// record of a signed tracking link (404 for a bad or expired one). A customer session reaches nothing but these.
/// </summary>
public static class CustomerEndpoints
{
    public const string RateLimitPolicy = "public-customer";

    public static RouteGroupBuilder MapCustomerApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/public").AllowAnonymous().RequireRateLimiting(RateLimitPolicy).WithTags("Customer");
        group.MapPost("/apps/{app}/otp", SendAsync).WithName("SendCustomerCode");
        group.MapPost("/apps/{app}/otp/verify", VerifyAsync).WithName("VerifyCustomerCode");
        group.MapGet("/apps/{app}/my/requests", MyRequestsAsync).WithName("MyRequests");
        group.MapPost("/apps/{app}/session", Remember).WithName("RememberCustomerSession");
        group.MapDelete("/apps/{app}/session", Forget).WithName("ForgetCustomerSession");
        group.MapGet("/links/{token}", LinkAsync).WithName("OpenTrackingLink");
        return group;
    }

    /// <summary>The JSON shape of one request, shared by the list and the link.</summary>
    public static object Describe(CustomerRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new
        {
            r.App,
            r.Entity,
            r.EntityLabel,
            r.EntityLabelEn,
            r.Tracking.TrackingNo,
            r.Type,
            r.TypeLabel,
            r.TypeLabelEn,
            r.Tracking.Status,
            r.Tracking.StatusLabel,
            r.StatusLabelEn,
            r.StatusColor,
            r.Tracking.FlowStatus,
            r.CreatedAt,
            r.Summary,
            Fields = r.Fields.Select(f => new { f.Key, f.Label, f.LabelEn, f.Value, f.Text, f.TextEn }),
            Timeline = r.Tracking.Timeline.Select(h => new { h.At, h.Step, Status = h.Action, Text = TrackingLookup.Text(h) }),
            Offers = r.Offers.Select(o => new { o.Form, o.Title, o.TitleEn, o.Url }),
        };
    }

    private static async Task<IResult> SendAsync(string app, HttpContext http, [FromServices] CustomerCodes codes, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await codes.SendAsync(app, Text(body!, "phone"), http.Connection.RemoteIpAddress?.ToString(), ct);
        if (result.NotFound)
        {
            return NoPortal(app);
        }

        if (result.TooMany)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many requests / 请求过于频繁", detail: result.Error, statusCode: StatusCodes.Status429TooManyRequests,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }

        return result.Error is { } error
            ? Problems.Validation("phone", error)
            : TypedResults.Accepted((string?)null, new { sent = true, resendAfterSeconds = (int)result.RetryAfter.TotalSeconds, expiresInSeconds = (int)result.ExpiresIn.TotalSeconds });
    }

    private static async Task<IResult> VerifyAsync(string app, HttpContext http, [FromServices] CustomerCodes codes, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await codes.VerifyAsync(app, Text(body!, "phone"), Text(body!, "code"), ct);
        if (result.NotFound)
        {
            return NoPortal(app);
        }

        if (result.PhoneError is { } phoneError)
        {
            return Problems.Validation("phone", phoneError);
        }

        if (!result.Ok)
        {
            return Problems.Validation("code", CodeVerifyResult.WrongMessage);
        }

        CustomerSessions.SetCookie(http.Response, result.Token!, result.Session!);
        return TypedResults.Ok(new { token = result.Token, expiresAt = result.Session!.ExpiresAt, phone = result.Session.MaskedPhone });
    }

    private static async Task<IResult> MyRequestsAsync(string app, HttpContext http, [FromServices] CustomerSessions sessions, [FromServices] CustomerRequests requests, CancellationToken ct)
    {
        if (sessions.FromRequest(http.Request, app) is not { } session)
        {
            return NoSession();
        }

        var items = await requests.ListAsync(session, ct);
        return TypedResults.Ok(new { phone = session.MaskedPhone, session.ExpiresAt, items = items.Select(Describe) });
    }

    private static IResult Remember(string app, HttpContext http, [FromServices] CustomerSessions sessions)
    {
        if (sessions.FromRequest(http.Request, app) is not { } session)
        {
            return NoSession();
        }

        // Only the header counts here: it is the token the page just got from a verification.
        CustomerSessions.SetCookie(http.Response, http.Request.Headers[CustomerSessions.HeaderName].ToString() is { Length: > 0 } token ? token : http.Request.Cookies[CustomerSessions.CookieName]!, session);
        return TypedResults.NoContent();
    }

    private static IResult Forget(string app, HttpContext http)
    {
        CustomerSessions.ClearCookie(http.Response);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> LinkAsync(string token, HttpContext http, [FromServices] CustomerRequests requests, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return await requests.OpenLinkAsync(token, ct) is { } found
            ? TypedResults.Ok(Describe(found))
            : Problems.NotFound("链接无效或已过期 / this link is not valid or has expired");
    }

    private static IResult NoPortal(string app) => Problems.NotFound($"应用「{app}」没有开通客户自助 / app '{app}' has no customer self-service");

    private static IResult NoSession() => TypedResults.Problem(
        title: "Verify your phone first / 请先验证手机号", detail: "客户会话无效或已过期 / no valid customer session", statusCode: StatusCodes.Status401Unauthorized);

    private static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
