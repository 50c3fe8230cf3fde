using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// The key that signs tracking links and hashes one-time codes: 32 random bytes created by whichever node needs it
/// first and kept in <c>platform_secrets</c> (encrypted with Data Protection, whose keys are shared in PostgreSQL),
/// so every node signs and checks with the same key. Loaded once per process.
/// </summary>
public sealed class CustomerSecret(NpgsqlDataSource dataSource, IDataProtectionProvider protection, TimeProvider time)
{
    private const string Name = "customer-links";
    private const byte RecordTokenVersion = 1;
    private const int RecordPayloadLength = 1 + 16 + 4;
    private const int RecordMacLength = 16;

    private readonly IDataProtector protector = protection.CreateProtector("Platform.CustomerSecret.v1");

    private readonly SemaphoreSlim gate = new(1, 1);

    private byte[]? key;

    /// <summary>HMAC-SHA256 of <paramref name="purpose"/> and <paramref name="data"/> under the key (purposes keep link and code MACs apart).</summary>
    public async Task<byte[]> MacAsync(string purpose, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var secret = await KeyAsync(ct);
        var label = Encoding.UTF8.GetBytes(purpose + "\0");
        var input = new byte[label.Length + data.Length];
        label.CopyTo(input, 0);
        data.Span.CopyTo(input.AsSpan(label.Length));
        return HMACSHA256.HashData(secret, input);
    }

    /// <summary>
    /// A signed record token, URL-safe: version 1, the record id, the expiry (unix seconds), <paramref name="extra"/>, then the
    /// first 16 bytes of the MAC under <paramref name="purpose"/>. Tracking links and per-record form links share this layout.
    /// </summary>
    public async Task<string> SignRecordTokenAsync(string purpose, Guid recordId, DateTimeOffset expiresAt, ReadOnlyMemory<byte> extra, CancellationToken ct)
    {
        var payload = RecordPayloadLength + extra.Length;
        var bytes = new byte[payload + RecordMacLength];
        bytes[0] = RecordTokenVersion;
        recordId.TryWriteBytes(bytes.AsSpan(1, 16));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17, 4), (uint)Math.Clamp(expiresAt.ToUnixTimeSeconds(), 0, uint.MaxValue));
        extra.Span.CopyTo(bytes.AsSpan(RecordPayloadLength));
        var mac = await MacAsync(purpose, bytes.AsMemory(0, payload), ct);
        mac.AsSpan(0, RecordMacLength).CopyTo(bytes.AsSpan(payload));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>The record id and extra bytes of a well-signed, unexpired token of <paramref name="purpose"/>, or null (malformed, tampered with or expired alike).</summary>
    public async Task<(Guid RecordId, byte[] Extra)?> VerifyRecordTokenAsync(string purpose, string? token, int tokenLength, int extraLength, CancellationToken ct)
    {
        if (token is null || token.Length != tokenLength)
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

        var payload = RecordPayloadLength + extraLength;
        if (bytes.Length != payload + RecordMacLength || bytes[0] != RecordTokenVersion)
        {
            return null;
        }

        var mac = await MacAsync(purpose, bytes.AsMemory(0, payload), ct);
        if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, RecordMacLength), bytes.AsSpan(payload))
            || DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(17, 4))) <= time.GetUtcNow())
        {
            return null;
        }

        return (new Guid(bytes.AsSpan(1, 16)), bytes[RecordPayloadLength..payload]);
    }

    private async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (key is { } known)
        {
            return known;
        }

        await gate.WaitAsync(ct);
        try
        {
            if (key is not null)
            {
                return key;
            }

            // Two nodes racing both insert; the first row wins and both read it back (the loser's statement may not see
            // a row committed while it waited on the conflict, so it asks again).
            string? stored = null;
            for (var attempt = 0; stored is null && attempt < 3; attempt++)
            {
                await using var cmd = dataSource.CreateCommand("""
                    with added as (insert into platform_secrets (name, value, created_at) values ($1, $2, $3) on conflict (name) do nothing returning value)
                    select value from added union all select value from platform_secrets where name = $1 limit 1
                    """);
                cmd.Parameters.Add(new NpgsqlParameter { Value = Name });
                cmd.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))) });
                cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
                stored = await cmd.ExecuteScalarAsync(ct) as string;
            }

            if (stored is null)
            {
                throw new InvalidOperationException("platform_secrets: the tracking-link key could not be created or read");
            }

            key = Convert.FromBase64String(protector.Unprotect(stored));
            return key;
        }
        finally
        {
            gate.Release();
        }
    }
}
