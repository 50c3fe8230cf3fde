using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
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
