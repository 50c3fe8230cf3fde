using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace Platform.Runtime.Security;

/// <summary>
/// Bearer tokens are authenticated-encrypted tickets; decrypting one costs key derivation, AES and HMAC (and
/// native handles to finalize) on every request. This remembers tickets already verified, keyed by the exact
/// token text, for a few minutes. Expiry is still enforced by the bearer handler on every request, and revocation by
/// <see cref="SessionGuard"/> (which asks the database, not this cache).
/// </summary>
public sealed class CachingTicketFormat(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider time) : ISecureDataFormat<AuthenticationTicket>
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (AuthenticationTicket Ticket, DateTimeOffset Until)> verified = new(StringComparer.Ordinal);

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var now = time.GetUtcNow();
        if (verified.TryGetValue(protectedText, out var hit) && hit.Until > now)
        {
            return hit.Ticket;
        }

        var ticket = inner.Unprotect(protectedText);
        if (ticket is not null)
        {
            if (verified.Count >= MaxEntries)
            {
                verified.Clear();
            }

            verified[protectedText] = (ticket, now + Keep);
        }

        return ticket;
    }
}
