using Platform.Core.Flows.Definitions;
using Platform.Designer.Flows;

namespace Platform.Runtime.Tests.Ui.Flows;

public sealed class FlowLayoutTests
{
    private static FlowDefinition Flow(string[] steps, params (string From, string To)[] edges) => new()
    {
        Key = "f",
        Name = "f",
        Entity = "e",
        Steps = steps.Select(s => s.Split(':') is [var key, var type] ? new FlowStep { Key = key, Type = type } : new FlowStep { Key = s, Type = "task" }).ToList(),
        Transitions = edges.Select(e => new FlowTransition { From = e.From, To = e.To }).ToList(),
    };

    [Fact]
    public void Arrange_PutsEachStepInTheColumnOfItsLongestPath_AndTheSpineOnOneRow()
    {
        // start → a → gw → (b | c → d) → end: the longer branch c → d is the spine.
        var flow = Flow(["start:start", "a", "gw:gateway", "b", "c", "d", "end:end"],
            ("start", "a"), ("a", "gw"), ("gw", "b"), ("gw", "c"), ("c", "d"), ("b", "end"), ("d", "end"));

        var laid = FlowLayout.Arrange(flow);

        var at = laid.Steps.ToDictionary(s => s.Key, s => s.Position!);
        Assert.Equal([0, 1, 2, 3, 3, 4, 5], new[] { "start", "a", "gw", "b", "c", "d", "end" }.Select(k => (int)((at[k].X - FlowLayout.Left) / FlowLayout.ColumnWidth)));
        Assert.All(new[] { "start", "a", "gw", "c", "d", "end" }, k => Assert.Equal(at["start"].Y, at[k].Y));
        Assert.NotEqual(at["start"].Y, at["b"].Y);
        Assert.False(FlowLayout.NeedsLayout(laid));
    }

    [Fact]
    public void Arrange_IgnoresEdgesThatCloseALoop_WhenLayeringARework()
    {
        // review → fix → review is a loop; review still sits left of fix and end.
        var flow = Flow(["start:start", "review", "fix", "end:end"], ("start", "review"), ("review", "fix"), ("fix", "review"), ("review", "end"));

        var at = FlowLayout.Arrange(flow).Steps.ToDictionary(s => s.Key, s => s.Position!.X);

        Assert.True(at["start"] < at["review"]);
        Assert.True(at["review"] < at["fix"]);
        Assert.True(at["review"] < at["end"]);
    }

    [Fact]
    public void Arrange_PlacesEveryStep_WhenSomeAreUnconnected()
    {
        var flow = Flow(["start:start", "orphan", "end:end"], ("start", "end"));

        var laid = FlowLayout.Arrange(flow);

        Assert.All(laid.Steps, s => Assert.NotNull(s.Position));
        Assert.Equal(3, laid.Steps.Select(s => (s.Position!.X, s.Position.Y)).Distinct().Count());
    }

    [Fact]
    public void NeedsLayout_IsTrue_WhenAStepHasNoPosition()
    {
        var flow = Flow(["start:start", "end:end"], ("start", "end"));

        Assert.True(FlowLayout.NeedsLayout(flow));
        Assert.False(FlowLayout.NeedsLayout(flow with { Steps = flow.Steps.Select(s => s with { Position = new StepPosition(1, 2) }).ToList() }));
    }
}
