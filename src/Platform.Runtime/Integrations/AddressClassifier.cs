using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Decides whether an address (or a host as written in a URL) may be the target of an outbound request: only public
/// unicast addresses may. Numeric hosts are read the way browsers and <c>inet_aton</c> read them (decimal
/// <c>2130706433</c>, octal <c>0177.0.0.1</c>, hex <c>0x7f000001</c>, short <c>127.1</c>), and IPv6 addresses that embed
/// an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they embed.
/// </summary>
public static class AddressClassifier
{
    /// <summary>Host names of cloud metadata services, refused whatever they resolve to.</summary>
    private static readonly HashSet<string> MetadataHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
    };

    private static readonly IPAddress AwsIpv6Metadata = IPAddress.Parse("fd00:ec2::254");

    /// <summary>
    /// Why a request to <paramref name="host"/> (as written in a URL: name, IPv4 in any inet_aton form, or
    /// <c>[IPv6]</c>) must be refused before any DNS lookup, or null when only resolution can tell.
    /// </summary>
    public static string? RefusalReason(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.Trim();
        if (trimmed.Length == 0)
        {
            return "refused: the URL has no host";
        }

        if (MetadataHosts.Contains(trimmed.TrimEnd('.')))
        {
            return $"refused: {trimmed} is a cloud metadata host";
        }

        var address = ParseNumericHost(trimmed, out var malformed);
        if (malformed)
        {
            return $"refused: {trimmed} is not a valid host";
        }

        if (address is null)
        {
            return null;
        }

        var category = Classify(address);
        if (category is null)
        {
            return null;
        }

        var canonical = address.ToString();
        var written = trimmed.Trim('[', ']');
        return string.Equals(written, canonical, StringComparison.OrdinalIgnoreCase)
            ? $"refused: {canonical} is {category}"
            : $"refused: {written} ({canonical}) is {category}";
    }

    /// <summary>True when the address is one of the cloud metadata endpoints (never reachable, not even allow-listed).</summary>
    public static bool IsMetadata(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Equals(AwsIpv6Metadata))
        {
            return true;
        }

        var v4 = EmbeddedIPv4(address) ?? (address.AddressFamily == AddressFamily.InterNetwork ? address : null);
        return v4 is not null && ToUInt32(v4) == 0xA9FEA9FE;
    }

    /// <summary>
    /// What kind of non-public address this is ("a loopback address", "a private address" …), or null for a
    /// public unicast address that may be contacted.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyIPv4(ToUInt32(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback address";
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "the unspecified address";
        }

        if (address.Equals(AwsIpv6Metadata))
        {
            return "a cloud metadata address";
        }

        if (EmbeddedIPv4(address) is { } embedded)
        {
            return ClassifyIPv4(ToUInt32(embedded)) is { } inner ? $"an IPv6 address embedding {embedded}, {inner}" : null;
        }

        var b = address.GetAddressBytes();
        if (b[0] == 0xff)
        {
            return "a multicast address";
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        {
            return "a link-local address";
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        {
            return "a site-local (private) address";
        }

        if ((b[0] & 0xfe) == 0xfc)
        {
            return "a unique-local (private) address";
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)
        {
            return "a local-use NAT64 address";
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return "a Teredo tunnelling address";
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return "a documentation address";
        }

        if (b[0] == 0x01 && b[1] == 0x00 && b.Skip(2).Take(6).All(x => x == 0))
        {
            return "a discard-only address";
        }

        if (b.Take(10).All(x => x == 0))
        {
            return "a reserved address";
        }

        return null;
    }

    /// <summary>
    /// Reads a host as an IP address: <c>[IPv6]</c>, or IPv4 in any form inet_aton and browsers accept. Returns null
    /// for a host name; <paramref name="malformed"/> is set for a host that ends in a number but is not a valid
    /// address (browsers refuse those instead of looking them up).
    /// </summary>
    public static IPAddress? ParseNumericHost(string host, out bool malformed)
    {
        ArgumentNullException.ThrowIfNull(host);
        malformed = false;
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                malformed = true;
                return null;
            }

            return Unscoped(v6, ref malformed);
        }

        if (host.Contains(':'))
        {
            if (IPAddress.TryParse(host, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return Unscoped(bare, ref malformed);
            }

            malformed = true;
            return null;
        }

        var parts = host.Split('.');
        if (parts.Length > 1 && parts[^1].Length == 0)
        {
            parts = parts[..^1];
        }

        if (!EndsInNumber(parts[^1]))
        {
            return null;
        }

        if (parts.Length > 4)
        {
            malformed = true;
            return null;
        }

        var numbers = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseIPv4Part(parts[i], out numbers[i]))
            {
                malformed = true;
                return null;
            }
        }

        for (var i = 0; i < numbers.Length - 1; i++)
        {
            if (numbers[i] > 255)
            {
                malformed = true;
                return null;
            }
        }

        var lastBits = 8 * (5 - numbers.Length);
        if (numbers[^1] >= 1UL << lastBits)
        {
            malformed = true;
            return null;
        }

        ulong value = numbers[^1];
        for (var i = 0; i < numbers.Length - 1; i++)
        {
            value += numbers[i] << (8 * (3 - i));
        }

        return new IPAddress(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
    }

    /// <summary>The IPv4 address carried inside an IPv4-mapped, -compatible, -translated, NAT64 (64:ff9b::/96) or 6to4 address.</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var b = address.GetAddressBytes();
        var firstTenZero = b.Take(10).All(x => x == 0);
        if (firstTenZero && b[10] == 0xff && b[11] == 0xff)
        {
            return new IPAddress(b[12..16]);
        }

        // ::a.b.c.d (deprecated "compatible"); :: and ::1 are judged as IPv6 before this is asked.
        if (firstTenZero && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
        {
            return new IPAddress(b[12..16]);
        }

        // ::ffff:0:a.b.c.d (SIIT "translated").
        if (b.Take(8).All(x => x == 0) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
        {
            return new IPAddress(b[12..16]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0))
        {
            return new IPAddress(b[12..16]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]);
        }

        return null;
    }

    private static IPAddress? Unscoped(IPAddress address, ref bool malformed)
    {
        // A zone id (fe80::1%eth0) names an interface; no public address needs one.
        if (address.ScopeId != 0)
        {
            malformed = true;
            return null;
        }

        return address;
    }

    private static string? ClassifyIPv4(uint a)
    {
        static bool In(uint address, uint network, int prefix) => prefix == 0 || (address >> (32 - prefix)) == (network >> (32 - prefix));

        if (a == 0xA9FEA9FE)
        {
            return "a link-local/metadata address";
        }

        if (a == 0xFFFFFFFF)
        {
            return "the broadcast address";
        }

        return a switch
        {
            _ when In(a, 0x00000000, 8) => a == 0 ? "the unspecified address" : "a \"this network\" (0.0.0.0/8) address",
            _ when In(a, 0x7F000000, 8) => "a loopback address",
            _ when In(a, 0x0A000000, 8) => "a private address",
            _ when In(a, 0xAC100000, 12) => "a private address",
            _ when In(a, 0xC0A80000, 16) => "a private address",
            _ when In(a, 0xA9FE0000, 16) => "a link-local address",
            _ when In(a, 0x64400000, 10) => "a carrier-grade NAT (100.64.0.0/10) address",
            _ when In(a, 0xC0000000, 24) => "an IETF protocol assignment (192.0.0.0/24) address",
            _ when In(a, 0xC0000200, 24) || In(a, 0xC6336400, 24) || In(a, 0xCB007100, 24) => "a documentation address",
            _ when In(a, 0xC6120000, 15) => "a benchmarking (198.18.0.0/15) address",
            _ when In(a, 0xE0000000, 4) => "a multicast address",
            _ when In(a, 0xF0000000, 4) => "a reserved (240.0.0.0/4) address",
            _ => null,
        };
    }

    private static bool EndsInNumber(string last)
    {
        if (last.Length == 0)
        {
            return false;
        }

        if (last.All(char.IsAsciiDigit))
        {
            return true;
        }

        return (last.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) && last.Skip(2).All(char.IsAsciiHexDigit);
    }

    private static bool TryParseIPv4Part(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            return hex.Length == 0 || (hex.Length <= 16 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value));
        }

        if (part.Length > 1 && part[0] == '0')
        {
            if (part.Length > 22 || !part.All(c => c is >= '0' and <= '7'))
            {
                return false;
            }

            foreach (var c in part)
            {
                value = (value * 8) + (ulong)(c - '0');
            }

            return true;
        }

        return part.Length <= 19 && part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static uint ToUInt32(IPAddress v4)
    {
        var b = v4.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
