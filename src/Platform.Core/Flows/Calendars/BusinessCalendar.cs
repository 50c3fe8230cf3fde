namespace Platform.Core.Flows.Calendars;

/// <summary>
/// Working time for deadlines: working days (weekdays by default), working hours, public holidays and
/// make-up working days (调休), in one time zone. Plain data that administrators edit; pure arithmetic.
/// </summary>
public sealed record BusinessCalendar
{
    public string Key { get; init; } = "china";

    public string Name { get; init; } = "中国大陆工作日历";

    /// <summary>IANA time zone id; UTC+8 when the machine does not know it.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    public IReadOnlyList<DayOfWeek> WorkDays { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public IReadOnlyList<WorkingPeriod> WorkingHours { get; init; } =
        [new(new TimeOnly(9, 0), new TimeOnly(12, 0)), new(new TimeOnly(13, 30), new TimeOnly(18, 0))];

    /// <summary>Days off even when they fall on a working weekday.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Weekend days that are working days (调休).</summary>
    public IReadOnlyList<DateOnly> MakeUpWorkdays { get; init; } = [];

    /// <summary>The State Council's 2025 and 2026 holidays and make-up days, weekdays 09:00–12:00 and 13:30–18:00.</summary>
    public static BusinessCalendar ChinaDefault { get; } = new()
    {
        Holidays =
        [
            .. Days(2025, 1, 1, 1), .. Days(2025, 1, 28, 8), .. Days(2025, 4, 4, 3), .. Days(2025, 5, 1, 5), .. Days(2025, 5, 31, 3), .. Days(2025, 10, 1, 8),
            .. Days(2026, 1, 1, 3), .. Days(2026, 2, 15, 9), .. Days(2026, 4, 4, 3), .. Days(2026, 5, 1, 5), .. Days(2026, 6, 19, 3), .. Days(2026, 9, 25, 3), .. Days(2026, 10, 1, 7),
        ],
        MakeUpWorkdays =
        [
            new(2025, 1, 26), new(2025, 2, 8), new(2025, 4, 27), new(2025, 9, 28), new(2025, 10, 11),
            new(2026, 1, 4), new(2026, 2, 14), new(2026, 2, 28), new(2026, 5, 9), new(2026, 9, 20), new(2026, 10, 10),
        ],
    };

    /// <summary>Every hour of every day: deadlines in plain calendar time.</summary>
    public static BusinessCalendar AlwaysOn { get; } = new()
    {
        Key = "always",
        Name = "全天候",
        WorkDays = Enum.GetValues<DayOfWeek>(),
        WorkingHours = [new(TimeOnly.MinValue, TimeOnly.MinValue)],
    };

    public bool IsWorkingDay(DateOnly day) =>
        MakeUpWorkdays.Contains(day) || (!Holidays.Contains(day) && WorkDays.Contains(day.DayOfWeek));

    /// <summary>The moment when <paramref name="duration"/> of working time has passed after <paramref name="start"/>.</summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        if (duration == TimeSpan.Zero)
        {
            return start;
        }

        var zone = Zone();
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var offsetInDay = local.TimeOfDay;
        var left = duration;
        var idleDays = 0;
        while (true)
        {
            if (IsWorkingDay(day))
            {
                idleDays = 0;
                foreach (var period in Periods())
                {
                    var from = period.StartOffset > offsetInDay ? period.StartOffset : offsetInDay;
                    if (from >= period.EndOffset)
                    {
                        continue;
                    }

                    var available = period.EndOffset - from;
                    if (available >= left)
                    {
                        return At(zone, day, from + left);
                    }

                    left -= available;
                }
            }
            else if (++idleDays > 366)
            {
                throw new InvalidOperationException($"工作日历 '{Key}' 一年内没有任何工作时间");
            }

            day = day.AddDays(1);
            offsetInDay = TimeSpan.Zero;
        }
    }

    /// <summary>Working time between two moments (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var zone = Zone();
        var a = TimeZoneInfo.ConvertTime(from, zone);
        var b = TimeZoneInfo.ConvertTime(to, zone);
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(a.DateTime); day <= DateOnly.FromDateTime(b.DateTime); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var dayStart = day == DateOnly.FromDateTime(a.DateTime) ? a.TimeOfDay : TimeSpan.Zero;
            var dayEnd = day == DateOnly.FromDateTime(b.DateTime) ? b.TimeOfDay : TimeSpan.FromDays(1);
            foreach (var period in Periods())
            {
                var s = period.StartOffset > dayStart ? period.StartOffset : dayStart;
                var e = period.EndOffset < dayEnd ? period.EndOffset : dayEnd;
                if (e > s)
                {
                    total += e - s;
                }
            }
        }

        return total;
    }

    private IEnumerable<WorkingPeriod> Periods() => WorkingHours.OrderBy(p => p.Start);

    private TimeZoneInfo Zone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");
        }
    }

    private static DateTimeOffset At(TimeZoneInfo zone, DateOnly day, TimeSpan offsetInDay)
    {
        var local = day.ToDateTime(TimeOnly.MinValue) + offsetInDay;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static IEnumerable<DateOnly> Days(int year, int month, int day, int count) =>
        Enumerable.Range(0, count).Select(i => new DateOnly(year, month, day).AddDays(i));
}
