using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Platform.Core.Metadata;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// Signed tracking links, <c>{PublicBaseUrl}/t/{token}</c>: the token is the record id and an expiry, signed with the
/// platform's <see cref="CustomerSecret"/> (HMAC-SHA256, 128 bits kept), 50 URL-safe characters so it fits an SMS.
/// Anyone holding the link sees that one record's customer view until it expires; a changed character or an expired
/// link resolves to nothing, the same as a link that never existed. The one place links are made and read.
/// </summary>
public sealed class TrackingLinks(CustomerSecret secret, PlatformSettings settings, TimeProvider time, IServer server)
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 + 4;
    private const int MacLength = 16;
    private const string Purpose = "tracking-link";

    /// <summary>Length of every token this build makes.</summary>
    public const int TokenLength = 50;

    /// <summary>The link's path prefix (the page route is <c>/t/{token}</c>).</summary>
    public const string PathPrefix = "/t/";

    /// <summary>The link for a record of a tracked entity of <paramref name="app"/>, or null when the portal does not track it.</summary>
    public async Task<string?> CreateAsync(AppDefinition app, string entity, Guid recordId, CancellationToken ct, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (CustomerPortalDefinition.Find(app, entity) is null)
        {
            return null;
        }

        return BaseUrl() + PathPrefix + await TokenAsync(recordId, expiresAt ?? time.GetUtcNow().AddDays(Math.Max(1, settings.Customer.LinkDays)), ct);
    }

    /// <summary>The token alone (no check that the record is tracked): record id and expiry, signed.</summary>
    public async Task<string> TokenAsync(Guid recordId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var bytes = new byte[PayloadLength + MacLength];
        bytes[0] = Version;
        recordId.TryWriteBytes(bytes.AsSpan(1, 16));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17, 4), (uint)Math.Clamp(expiresAt.ToUnixTimeSeconds(), 0, uint.MaxValue));
        var mac = await secret.MacAsync(Purpose, bytes.AsMemory(0, PayloadLength), ct);
        mac.AsSpan(0, MacLength).CopyTo(bytes.AsSpan(PayloadLength));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>The record id of a well-signed, unexpired token, or null (malformed, tampered with or expired alike).</summary>
    public async Task<Guid?> RecordIdAsync(string? token, CancellationToken ct)
    {
        if (token is null || token.Length != TokenLength)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length != PayloadLength + MacLength || bytes[0] != Version)
        {
            return null;
        }

        var mac = await secret.MacAsync(Purpose, bytes.AsMemory(0, PayloadLength), ct);
        if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, MacLength), bytes.AsSpan(PayloadLength)))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(17, 4)));
        return expires > time.GetUtcNow() ? new Guid(bytes.AsSpan(1, 16)) : null;
    }

    /// <summary>Where customers reach the platform: <c>Platform:PublicBaseUrl</c>, else this node's own address.</summary>
    public string BaseUrl()
    {
        if (settings.PublicBaseUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }
}
