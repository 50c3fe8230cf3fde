using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Platform.Runtime.Hosting;

/// <summary>
/// Behind a reverse proxy (nginx terminating TLS) the client's address and scheme arrive in <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>. They are believed only from the proxies named in <c>Platform:KnownProxies</c> (addresses or
/// CIDR networks) and from loopback, so rate limits count real clients and links say https, while a client cannot
/// forge its address by sending the headers itself.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddPlatformForwardedHeaders(this IServiceCollection services, PlatformSettings settings)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in settings.KnownProxies.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException(
                    $"Platform:KnownProxies: '{entry}' is neither an IP address (10.0.0.5) nor a CIDR network (10.0.0.0/24).");
            }
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // The defaults (loopback) stay: nginx on the same machine needs no setting.
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
        return services;
    }
}
