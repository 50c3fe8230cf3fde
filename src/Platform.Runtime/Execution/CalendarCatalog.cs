using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Platform.Core.Flows.Calendars;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution;

/// <summary>Business calendars: rows of the <c>calendars</c> table (editable), else the built-in China calendar.</summary>
public sealed class CalendarCatalog(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string DefaultKey = "china";

    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (BusinessCalendar Calendar, DateTimeOffset At)> cache = new();

    public async ValueTask<BusinessCalendar> GetAsync(string? key, CancellationToken ct)
    {
        key ??= DefaultKey;
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var entry) && now - entry.At < Freshness)
        {
            return entry.Calendar;
        }

        await using var cmd = dataSource.CreateCommand("select definition::text from calendars where key = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        var calendar = await cmd.ExecuteScalarAsync(ct) is string json
            ? JsonSerializer.Deserialize<BusinessCalendar>(json, MetadataJson.Options)! with { Key = key }
            : key == "always" ? BusinessCalendar.AlwaysOn : BusinessCalendar.ChinaDefault;
        cache[key] = (calendar, now);
        return calendar;
    }

    public async Task SaveAsync(BusinessCalendar calendar, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "insert into calendars (key, definition, updated_at) values ($1, $2::jsonb, now()) on conflict (key) do update set definition = excluded.definition, updated_at = now()");
        cmd.Parameters.Add(new NpgsqlParameter { Value = calendar.Key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(calendar, MetadataJson.Options) });
        await cmd.ExecuteNonQueryAsync(ct);
        cache.TryRemove(calendar.Key, out _);
    }
}
