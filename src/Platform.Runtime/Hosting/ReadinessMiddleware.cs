namespace Platform.Runtime.Hosting;

/// <summary>Answers API calls with 503 + Retry-After until the platform is ready, instead of failing half-way.</summary>
public sealed class ReadinessMiddleware(RequestDelegate next, Readiness readiness)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (readiness.IsReady || !context.Request.Path.StartsWithSegments("/api"))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "2";
        return context.Response.WriteAsJsonAsync(
            new { title = "Starting / 正在启动", status = 503, detail = readiness.Failure ?? "The platform is starting; retry shortly." },
            options: null,
            contentType: "application/problem+json");
    }
}
