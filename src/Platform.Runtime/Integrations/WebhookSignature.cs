using System.Security.Cryptography;
using System.Text;

namespace Platform.Runtime.Integrations;

/// <summary>
/// The platform's webhook signature: <c>X-Platform-Signature: sha256=&lt;hex&gt;</c>, lower-case hex HMAC-SHA256 keyed
/// with the connector secret over <c>"&lt;unix seconds&gt;." + raw body bytes</c>, the seconds being those sent in
/// <c>X-Platform-Timestamp</c>. Receivers recompute it and reject old timestamps to stop replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Platform-Signature";

    public const string TimestampHeader = "X-Platform-Timestamp";

    /// <summary>The header value <c>sha256=…</c>.</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }
}
