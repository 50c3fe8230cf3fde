using Platform.Runtime.Hosting;

namespace Platform.Runtime.Api;

/// <summary><c>/healthz</c>: 200 only when migrations, template and demo data are in place.</summary>
public static class HealthEndpoints
{
    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/healthz", (Readiness readiness) => readiness.IsReady
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = readiness.Failure is null ? "starting" : "failed", error = readiness.Failure }, statusCode: StatusCodes.Status503ServiceUnavailable))
        .AllowAnonymous()
        .WithTags("Health");
}
