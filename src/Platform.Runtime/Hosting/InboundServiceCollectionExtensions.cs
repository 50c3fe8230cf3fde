using System.Globalization;
using System.Threading.RateLimiting;
using Platform.Runtime.Api;
using Platform.Runtime.Execution.Hooks;
using Platform.Runtime.Execution.Imports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Hosting;

/// <summary>Registers inbound webhooks (store, service, per-hook rate limit) and record imports.</summary>
public static class InboundServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformInbound(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton<InboundHookStore>();
        services.AddSingleton<InboundHookService>();
        services.AddSingleton<RecordImporter>();

        var perMinute = settings.HookRequestsPerMinute;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(HooksEndpoints.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                $"{http.Request.RouteValues["app"]}/{http.Request.RouteValues["key"]}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

            // Public form reads, submissions and uploads: per client address and link, so one abuser cannot starve a form.
            var publicPerMinute = settings.PublicFormRequestsPerMinute;
            o.AddPolicy(PublicFormsEndpoints.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                $"{http.Connection.RemoteIpAddress}/{http.Request.RouteValues["token"]}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = publicPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Tracking lookups: per client address, so tracking numbers and phones cannot be enumerated at speed.
            var trackPerMinute = settings.TrackRequestsPerMinute;
            o.AddPolicy(PublicEndpoints.TrackRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = trackPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { title = "Too many requests / 请求过于频繁", status = StatusCodes.Status429TooManyRequests, detail = $"请稍后再试（{Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} 秒后）/ try again later" },
                    (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
            };
        });
        return services;
    }
}
