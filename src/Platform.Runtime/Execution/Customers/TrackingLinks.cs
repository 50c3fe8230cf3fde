using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
    public Task<string> TokenAsync(Guid recordId, DateTimeOffset expiresAt, CancellationToken ct) =>
        secret.SignRecordTokenAsync(Purpose, recordId, expiresAt, ReadOnlyMemory<byte>.Empty, ct);

    /// <summary>The record id of a well-signed, unexpired token, or null (malformed, tampered with or expired alike).</summary>
    public async Task<Guid?> RecordIdAsync(string? token, CancellationToken ct) =>
        await secret.VerifyRecordTokenAsync(Purpose, token, TokenLength, 0, ct) is { } verified ? verified.RecordId : null;

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
