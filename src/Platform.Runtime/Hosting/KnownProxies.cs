using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Platform.Runtime.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from <see cref="PlatformSettings.KnownProxies"/>;
/// from anyone else they are ignored, so a client cannot pick the address rate limits count it under. Several known proxies
/// in a row (CDN → nginx) are walked back to the first address that is not one of them.
/// </summary>
public static class KnownProxies
{
    public static IServiceCollection AddPlatformForwardedHeaders(this IServiceCollection services, PlatformSettings settings)
    {
        var (proxies, networks) = Parse(settings.KnownProxies);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = null;
            // Only the exact loopback addresses by default, not all of 127.0.0.0/8.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Add(IPAddress.Loopback);
            o.KnownProxies.Add(IPAddress.IPv6Loopback);
            o.KnownProxies.Add(IPAddress.Loopback.MapToIPv6());
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Addresses and CIDR networks, comma-separated entries allowed; a malformed entry stops the start with its name.</summary>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks) Parse(IEnumerable<string> entries)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries.SelectMany(e => e.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    // Kestrel may report an IPv4 peer in its IPv6-mapped form on a dual-stack socket.
                    proxies.Add(address.MapToIPv6());
                }
            }
            else
            {
                throw new InvalidOperationException($"Platform:KnownProxies: '{entry}' is neither an IP address nor a network like 10.0.0.0/8");
            }
        }

        return (proxies, networks);
    }
}
