using Platform.Core.Rules;

namespace Platform.Core.Tests.Rules;

public sealed class RuleScheduleTests
{
    [Theory]
    [InlineData("0 9 * * *")]
    [InlineData("*/15 8-18 * * 1-5")]
    [InlineData("  0 9 * * *  ")]
    public void Parse_ReturnsAnExpression_WhenCronHasFiveFields(string cron)
    {
        var expression = RuleSchedule.Parse(cron);
        Assert.NotNull(expression);
        Assert.Equal(0, expression.GetNextOccurrence(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))!.Value.Second);
    }

    [Fact]
    public void Parse_ReadsSeconds_WhenCronHasSixFields()
    {
        var expression = RuleSchedule.Parse("30 0 9 * * *");
        Assert.NotNull(expression);
        Assert.Equal(new DateTime(2026, 12, 1, 9, 0, 30, DateTimeKind.Utc), expression.GetNextOccurrence(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0 9 * *")]
    [InlineData("61 * * * *")]
    [InlineData("0 25 * * *")]
    [InlineData("every day at nine")]
    [InlineData("0 0 9 * * * 2026")]
    public void Parse_ReturnsNull_WhenCronIsInvalid(string? cron) =>
        Assert.Null(RuleSchedule.Parse(cron));

    [Fact]
    public void Next_IsTheNextDay0100Utc_WhenNineOClockChinaTimeHasPassed() =>
        // 02:00Z is 10:00 in China; the next 09:00 China time is 2026-12-02 09:00+08:00 = 01:00Z.
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero),
            RuleSchedule.Next("0 9 * * *", null, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Next_IsTheSameDay_WhenNineOClockChinaTimeIsStillAhead() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero),
            RuleSchedule.Next("0 9 * * *", null, new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.Zero)));

    [Fact]
    public void Next_IsStrictlyAfter_WhenAfterIsAnOccurrence() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero),
            RuleSchedule.Next("0 9 * * *", null, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8))));

    [Fact]
    public void Next_ReadsWeekdaysInChinaTime_WhenUtcIsStillThePreviousDay() =>
        // Sunday 2026-12-06 12:00Z is Sunday 20:00 in China; the next Monday 08:00 China time is 2026-12-07 00:00Z (not 08:00Z).
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero),
            RuleSchedule.Next("0 8 * * 1", null, new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Next_UsesTheGivenZone_WhenTimeZoneIsKnown() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            RuleSchedule.Next("0 9 * * *", "UTC", new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Next_ReadsSecondsInChinaTime_WhenCronHasSixFields() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 1, 0, 30, TimeSpan.Zero),
            RuleSchedule.Next("30 0 9 * * *", null, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData(null)]
    [InlineData("0 9 * *")]
    [InlineData("nonsense")]
    public void Next_ReturnsNull_WhenCronIsInvalid(string? cron) =>
        Assert.Null(RuleSchedule.Next(cron, null, DateTimeOffset.UnixEpoch));
}
