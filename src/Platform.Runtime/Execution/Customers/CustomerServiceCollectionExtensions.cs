using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Platform.Runtime.Api;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.Customers;

/// <summary>Registers the customer self-service: the signing key, codes, sessions, tracking links, requests and their rate limit.</summary>
public static class CustomerServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformCustomers(this IServiceCollection services, PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<CustomerSecret>();
        services.AddSingleton<CustomerSessions>();
        services.AddSingleton<CustomerCodes>();
        services.AddSingleton<TrackingLinks>();
        services.AddSingleton<CustomerOffers>();
        services.AddSingleton<CustomerRequests>();

        // Per client address across every customer endpoint: the database limits count codes, this one counts requests.
        var perMinute = Math.Max(1, settings.Customer.RequestsPerMinute);
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(CustomerEndpoints.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return services;
    }
}
