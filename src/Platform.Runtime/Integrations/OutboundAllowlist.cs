using Npgsql;

namespace Platform.Runtime.Integrations;

/// <summary>
/// The administrator's outbound allow-list (table <c>outbound_allowlist</c>): hosts that may be reached even though
/// they are private or loopback. Read through a short cache so every connection attempt does not query it; a change
/// on this node is seen at once, on other nodes within <see cref="CacheFor"/>.
/// </summary>
public sealed class OutboundAllowlist(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>How long another node's change may take to be seen here.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private (IReadOnlyList<AllowlistEntry> Entries, DateTimeOffset At)? cache;

    /// <summary>The entries as stored, in order.</summary>
    public async Task<IReadOnlyList<AllowlistEntry>> ListAsync(CancellationToken ct)
    {
        if (cache is { } c && time.GetUtcNow() - c.At < CacheFor)
        {
            return c.Entries;
        }

        await gate.WaitAsync(ct);
        try
        {
            if (cache is { } again && time.GetUtcNow() - again.At < CacheFor)
            {
                return again.Entries;
            }

            var list = new List<AllowlistEntry>();
            await using var cmd = dataSource.CreateCommand("select entry from outbound_allowlist order by entry");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (AllowlistEntry.TryParse(reader.GetString(0), out var entry, out _))
                {
                    list.Add(entry!);
                }
            }

            cache = (list, time.GetUtcNow());
            return list;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>True when <paramref name="host"/>:<paramref name="port"/> is allow-listed.</summary>
    public async Task<bool> IsAllowedAsync(string host, int port, CancellationToken ct) =>
        (await ListAsync(ct)).Any(e => e.Matches(host, port));

    /// <summary>Replaces the whole list in one transaction.</summary>
    public async Task ReplaceAsync(IReadOnlyCollection<AllowlistEntry> entries, string by, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("delete from outbound_allowlist where entry <> all($1)") { Parameters = { new() { Value = entries.Select(e => e.ToString()).ToArray() } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("insert into outbound_allowlist (entry, created_by) select e, $2 from unnest($1::text[]) e on conflict (entry) do nothing")
        {
            Parameters = { new() { Value = entries.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToArray() }, new() { Value = by } },
        });
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        cache = null;
    }
}
