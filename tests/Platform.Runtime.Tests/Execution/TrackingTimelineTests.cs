using Platform.Runtime.Api;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Tests.Execution;

public sealed class TrackingTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    private static FlowHistoryDto Line(int seq, string action, string step, double minutes) =>
        new(seq, step, step, action, "cs01", T0.AddMinutes(minutes), null, action == "end" ? "completed" : null, null);

    [Fact]
    public void Compact_DropsTheEnteredLinesThatFollowADecision_AndKeepsTheNewest()
    {
        var timeline = new[]
        {
            Line(1, "start", "start", 0),
            Line(2, "enter", "客服初审", 0),
            Line(3, "approve", "客服初审", 90),
            Line(4, "enter", "仓库质检", 90),
            Line(5, "approve", "仓库质检", 600),
            Line(6, "enter", "财务退款", 600),
        };

        var shown = TrackingLookup.Compact(timeline).Select(h => h.Seq);

        Assert.Equal([1, 3, 5, 6], shown);
    }

    [Fact]
    public void Compact_KeepsAnEnteredLine_ThatCameLaterThanTheLineBeforeIt()
    {
        // A wait step ended on its own timer: entering the next step is news of its own.
        var timeline = new[] { Line(1, "start", "start", 0), Line(2, "enter", "等待寄回", 0), Line(3, "enter", "仓库质检", 2880), Line(4, "approve", "仓库质检", 3000), Line(5, "end", "end", 3000) };

        Assert.Equal([1, 3, 4, 5], TrackingLookup.Compact(timeline).Select(h => h.Seq));
    }
}
