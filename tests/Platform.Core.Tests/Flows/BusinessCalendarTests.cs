using System.Text.Json;
using Platform.Core.Flows.Calendars;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Flows;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar China = BusinessCalendar.ChinaDefault;

    private static DateTimeOffset At(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.FromHours(8));

    [Fact]
    public void AddWorkingTime_SkipsLunchBreak_WhenDurationCrossesNoon() =>
        Assert.Equal(At(2026, 11, 24, 14, 30), China.AddWorkingTime(At(2026, 11, 24, 11, 0), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_SkipsWeekend_WhenFridayEvening() =>
        Assert.Equal(At(2026, 11, 30, 10, 0), China.AddWorkingTime(At(2026, 11, 27, 17, 0), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_SkipsNationalDayHoliday() =>
        Assert.Equal(At(2026, 10, 8, 10, 0), China.AddWorkingTime(At(2026, 9, 30, 17, 0), TimeSpan.FromHours(2)));

    [Fact]
    public void AddWorkingTime_CountsMakeUpSaturday()
    {
        Assert.True(China.IsWorkingDay(new DateOnly(2026, 2, 28)));
        Assert.Equal(At(2026, 2, 28, 10, 0), China.AddWorkingTime(At(2026, 2, 27, 17, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddWorkingTime_StartsAtNextPeriod_WhenStartedAtNight() =>
        Assert.Equal(At(2026, 11, 25, 10, 0), China.AddWorkingTime(At(2026, 11, 24, 22, 0), TimeSpan.FromHours(1)));

    [Fact]
    public void WorkingTimeBetween_IsTheInverseOfAddWorkingTime()
    {
        foreach (var hours in new[] { 0.5, 3, 7.5, 20, 100 })
        {
            var start = At(2026, 9, 28, 16, 45);
            var end = China.AddWorkingTime(start, TimeSpan.FromHours(hours));
            Assert.Equal(TimeSpan.FromHours(hours), China.WorkingTimeBetween(start, end));
        }
    }

    [Fact]
    public void AlwaysOn_AddsPlainHours() =>
        Assert.Equal(At(2026, 10, 2, 3, 0), BusinessCalendar.AlwaysOn.AddWorkingTime(At(2026, 10, 1, 23, 0), TimeSpan.FromHours(4)));

    [Fact]
    public void AddWorkingTime_Throws_WhenDurationNegative() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => China.AddWorkingTime(At(2026, 1, 5, 9), TimeSpan.FromHours(-1)));

    [Fact]
    public void Calendar_RoundTripsThroughJson()
    {
        var json = JsonSerializer.Serialize(China, MetadataJson.Options);
        var back = JsonSerializer.Deserialize<BusinessCalendar>(json, MetadataJson.Options)!;
        Assert.Equal(China.Holidays, back.Holidays);
        Assert.Equal(China.MakeUpWorkdays, back.MakeUpWorkdays);
        Assert.Equal(China.WorkingHours, back.WorkingHours);
        Assert.Equal(China.WorkDays, back.WorkDays);
    }
}
