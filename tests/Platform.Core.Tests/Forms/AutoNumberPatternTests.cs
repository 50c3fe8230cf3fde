using Platform.Core.Forms;

namespace Platform.Core.Tests.Forms;

public sealed class AutoNumberPatternTests
{
    [Fact]
    public void Format_UsesChinaDateAndPadding_WhenPatternHasDateAndSequence()
    {
        var pattern = AutoNumberPattern.Parse("RT{yyyyMMdd}{seq:4}");
        var lateUtc = new DateTimeOffset(2026, 11, 24, 17, 0, 0, TimeSpan.Zero); // 01:00 on the 25th in China
        Assert.Equal("RT20261125", pattern.PrefixAt(lateUtc));
        Assert.Equal("RT202611250007", pattern.Format(lateUtc, 7));
        Assert.Equal("RT2026112512345", pattern.Format(lateUtc, 12345));
    }

    [Theory]
    [InlineData("RT{yyyyMMdd}", "序号")]
    [InlineData("RT{seq:4}{seq:2}", "只能有一个")]
    [InlineData("RT{foo}{seq:4}", "无法识别")]
    [InlineData("RT {seq:4}", "不允许的字符")]
    [InlineData("RT{seq:0}", "位数")]
    public void TryParse_ExplainsWhy_WhenPatternIsInvalid(string source, string because)
    {
        Assert.False(AutoNumberPattern.TryParse(source, out _, out var error));
        Assert.Contains(because, error);
    }
}
