using Cronos;

namespace Platform.Core.Rules;

/// <summary>Cron schedules of <c>schedule</c> rules (Cronos), read in China Standard Time unless a zone is given.</summary>
public static class RuleSchedule
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var zone)
        ? zone
        : TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    /// <summary>The parsed expression (5 fields, or 6 with seconds), or null when it does not parse.</summary>
    public static CronExpression? Parse(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return null;
        }

        var format = cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.TryParse(cron, format, out var expression) ? expression : null;
    }

    /// <summary>The next occurrence strictly after <paramref name="after"/>, or null (invalid or never).</summary>
    public static DateTimeOffset? Next(string? cron, string? timeZone, DateTimeOffset after)
    {
        var expression = Parse(cron);
        if (expression is null)
        {
            return null;
        }

        var zone = timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : China;
        return expression.GetNextOccurrence(after, zone)?.ToUniversalTime();
    }
}
