using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution;

/// <summary>
/// Published app definitions, cached per node. The database stays the source of truth: an entry older than
/// <see cref="Freshness"/> is revalidated by its version number, so a publish on another node is seen
/// within that time.
/// </summary>
public sealed class AppCatalog(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, CacheEntry> cache = new();

    public async ValueTask<AppDefinition?> GetAsync(string appKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(appKey, out var entry) && now - entry.CheckedAt < Freshness)
        {
            return entry.App;
        }

        await using var cmd = dataSource.CreateCommand("select version from apps where key = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = appKey });
        var version = await cmd.ExecuteScalarAsync(ct) as int?;
        if (version is null)
        {
            cache.TryRemove(appKey, out _);
            return null;
        }

        if (entry is not null && entry.App.Version == version)
        {
            cache[appKey] = entry with { CheckedAt = now };
            return entry.App;
        }

        var app = await LoadAsync(appKey, ct);
        if (app is not null)
        {
            cache[appKey] = new CacheEntry(app, now);
        }

        return app;
    }

    /// <summary>Lists installed apps with their current version.</summary>
    public async Task<IReadOnlyList<AppSummary>> ListAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "select key, name, version, definition->>'nameEn', definition->>'description', jsonb_array_length(coalesce(definition->'entities', '[]')), updated_at from apps order by key");
        var list = new List<AppSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new AppSummary(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return list;
    }

    /// <summary>Drops the cached entry after a publish on this node.</summary>
    public void Invalidate(string appKey) => cache.TryRemove(appKey, out _);

    private async Task<AppDefinition?> LoadAsync(string appKey, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select definition::text from apps where key = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = appKey });
        var json = await cmd.ExecuteScalarAsync(ct) as string;
        return json is null ? null : JsonSerializer.Deserialize<AppDefinition>(json, MetadataJson.Options);
    }

    private sealed record CacheEntry(AppDefinition App, DateTimeOffset CheckedAt);
}
