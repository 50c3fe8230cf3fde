using Platform.Core.Reports;

namespace Platform.Core.Tests.Reports;

public sealed class ReportPeriodTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    // 2026-03-15T17:00Z is 01:00 on Monday 16 March in China: the periods count from the China date.
    [InlineData("2026-03-15T17:00:00Z", "1d", "2026-03-16")]
    [InlineData("2026-03-15T17:00:00Z", "7d", "2026-03-10")]
    [InlineData("2026-03-15T17:00:00Z", "30d", "2026-02-15")]
    [InlineData("2026-03-15T17:00:00Z", "1w", "2026-03-10")]
    [InlineData("2026-03-15T17:00:00Z", "2w", "2026-03-03")]
    [InlineData("2026-03-15T17:00:00Z", "1m", "2026-03-01")]
    [InlineData("2026-03-15T17:00:00Z", "3m", "2026-01-01")]
    [InlineData("2026-03-15T17:00:00Z", "12m", "2025-04-01")]
    [InlineData("2026-03-15T17:00:00Z", "1y", "2026-01-01")]
    [InlineData("2026-03-15T17:00:00Z", "2y", "2025-01-01")]
    // 15:59:59Z is still 23:59:59 on the 15th in China.
    [InlineData("2026-03-15T15:59:59Z", "1d", "2026-03-15")]
    [InlineData("2026-02-28T16:00:00Z", "1m", "2026-03-01")]
    [InlineData("2026-12-31T16:30:00Z", "1y", "2027-01-01")]
    [InlineData("2026-12-31T15:30:00Z", "1y", "2026-01-01")]
    public void Start_IsMidnightChinaTime_OfThePeriodsFirstDay(string now, string period, string firstDay)
    {
        var start = ReportPeriod.Start(period, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(China, start.Offset);
        Assert.Equal(TimeSpan.Zero, start.TimeOfDay);
        Assert.Equal(firstDay, start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    // 01:00 on Monday 16 March 2026 in China.
    [InlineData("2026-03-15T17:00:00Z", "1d", "2026-03-15", "2026-03-16")]
    [InlineData("2026-03-15T17:00:00Z", "7d", "2026-03-09", "2026-03-16")]
    [InlineData("2026-03-15T17:00:00Z", "2w", "2026-03-02", "2026-03-16")]
    [InlineData("2026-03-15T17:00:00Z", "1m", "2026-02-01", "2026-03-01")]
    [InlineData("2026-03-15T17:00:00Z", "12m", "2025-03-01", "2026-03-01")]
    [InlineData("2026-03-15T17:00:00Z", "1y", "2025-01-01", "2026-01-01")]
    // On the first day of a month the month just begun is the current one, left out.
    [InlineData("2026-11-30T16:30:00Z", "12m", "2025-12-01", "2026-12-01")]
    [InlineData("2026-11-30T15:30:00Z", "12m", "2025-11-01", "2026-11-01")]
    public void Bounds_ArePreviousWholePeriods_LeavingTheCurrentOneOut(string now, string period, string first, string end)
    {
        var (start, stop) = ReportPeriod.Bounds("previous", period, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first, start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(stop);
        Assert.Equal(end, stop.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(China, stop.Value.Offset);
        Assert.Equal(TimeSpan.Zero, stop.Value.TimeOfDay);
    }

    [Fact]
    public void Bounds_OfWithin_AreItsStartAndNoEnd()
    {
        var now = new DateTimeOffset(2026, 3, 15, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal((ReportPeriod.Start("12m", now), (DateTimeOffset?)null), ReportPeriod.Bounds("within", "12m", now));
        Assert.True(ReportPeriod.IsRelativeOp("previous"));
        Assert.False(ReportPeriod.IsRelativeOp("ge"));
    }

    [Fact]
    public void Start_IsTheSame_ForAnyOffsetOfTheSameMoment()
    {
        var utc = new DateTimeOffset(2026, 3, 15, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal(ReportPeriod.Start("8w", utc), ReportPeriod.Start("8w", utc.ToOffset(TimeSpan.FromHours(-5))));
    }

    [Theory]
    [InlineData("9999d")]
    [InlineData("9999w")]
    [InlineData("9999m")]
    [InlineData("999y")]
    public void Start_DoesNotThrow_ForTheLongestValidPeriods(string period)
    {
        Assert.True(ReportPeriod.IsValid(period));
        var start = ReportPeriod.Start(period, DateTimeOffset.UtcNow);
        Assert.True(start < DateTimeOffset.UtcNow);
        _ = start.ToUniversalTime();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("01d")]
    [InlineData("1h")]
    [InlineData("1D")]
    [InlineData("10000d")]
    [InlineData("3000y")]
    [InlineData(" 1d")]
    [InlineData("1d ")]
    [InlineData("1d\n")]
    public void IsValid_IsFalse_ForAnythingButACountAndAUnit(string? period) => Assert.False(ReportPeriod.IsValid(period));

    [Fact]
    public void Start_Throws_ForAnInvalidPeriod() =>
        Assert.Throws<ArgumentException>(() => ReportPeriod.Start("1h", DateTimeOffset.UtcNow));
}
