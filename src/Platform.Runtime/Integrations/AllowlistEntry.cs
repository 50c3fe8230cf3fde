using System.Net;
using System.Text.RegularExpressions;

namespace Platform.Runtime.Integrations;

/// <summary>One allow-listed outbound target: an exact host name or IP address, optionally with a port.</summary>
public sealed partial record AllowlistEntry(string Host, IPAddress? Address, int? Port)
{
    /// <summary>The canonical text stored and shown: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>.</summary>
    public override string ToString()
    {
        var host = Address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? $"[{Address}]" : Address?.ToString() ?? Host;
        return Port is { } p ? $"{host}:{p}" : host;
    }

    /// <summary>True when a request to <paramref name="host"/>:<paramref name="port"/> is covered by this entry.</summary>
    public bool Matches(string host, int port)
    {
        if (Port is { } p && p != port)
        {
            return false;
        }

        var normalized = host.Trim().TrimEnd('.');
        if (Address is not null)
        {
            var parsed = AddressClassifier.ParseNumericHost(normalized.Contains(':') && !normalized.StartsWith('[') ? $"[{normalized}]" : normalized, out _);
            return parsed is not null && parsed.Equals(Address);
        }

        return string.Equals(normalized, Host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads <c>host</c>, <c>host:port</c>, an IPv4 address, <c>[IPv6]</c> or <c>[IPv6]:port</c>.</summary>
    public static bool TryParse(string? text, out AllowlistEntry? entry, out string? error)
    {
        entry = null;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length is 0 or > 260)
        {
            error = "需要主机名或 IP，可带端口 / expected a host name or IP, optionally host:port";
            return false;
        }

        string host = value;
        int? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "IPv6 地址缺少 ] / unterminated [IPv6] address";
                return false;
            }

            host = value[..(close + 1)];
            var rest = value[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port)))
            {
                error = "端口无效 / invalid port";
                return false;
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            if (!TryPort(value[(colon + 1)..], out port))
            {
                error = "端口无效 / invalid port";
                return false;
            }
        }
        else if (value.Contains(':'))
        {
            host = $"[{value}]";
        }

        var address = AddressClassifier.ParseNumericHost(host, out var malformed);
        if (malformed)
        {
            error = "不是有效的主机或 IP / not a valid host or IP address";
            return false;
        }

        if (address is null && !HostName().IsMatch(host))
        {
            error = "不是有效的主机名 / not a valid host name";
            return false;
        }

        entry = new AllowlistEntry(address?.ToString() ?? host.TrimEnd('.').ToLowerInvariant(), address, port);
        return true;
    }

    private static bool TryPort(string text, out int? port)
    {
        port = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535)
        {
            port = p;
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?=.{1,253}\.?$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?)*\.?$")]
    private static partial Regex HostName();
}
