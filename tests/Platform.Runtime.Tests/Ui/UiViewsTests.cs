using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Runtime.Ui;

namespace Platform.Runtime.Tests.Ui;

/// <summary>The mapping from runtime state to what the record screens show, without a browser.</summary>
public sealed class UiViewsTests
{
    [Theory]
    [InlineData("/apps/after_sales/return_request/0192f0aa-1111-7222-8333-444455556666", "/apps/after_sales/records/return_request/0192f0aa-1111-7222-8333-444455556666")]
    [InlineData("/inbox", "/inbox")]
    [InlineData(null, null)]
    public void Link_PointsAtTheRecordDetail_WhenTheFlowWroteARecordLink(string? stored, string? expected) =>
        Assert.Equal(expected, UiViews.Link(stored));

    [Fact]
    public void Option_OffersVisitedTaskStepsAsReturnTargets_WhenTheFlowPassedThem()
    {
        var flow = new FlowDefinition
        {
            Key = "f", Name = "流程", Entity = "e",
            Steps =
            [
                new FlowStep { Key = "start", Type = "start" },
                new FlowStep { Key = "review", Type = "approval", Name = "初审" },
                new FlowStep { Key = "route", Type = "gateway" },
                new FlowStep { Key = "handle", Type = "task", Name = "办理" },
                new FlowStep { Key = "final", Type = "approval", Name = "终审", Fields = new StepFieldAccess { Editable = ["note"], Required = ["note"] } },
            ],
        };
        var task = new FlowTask { Id = Guid.NewGuid(), Step = "final", Role = "boss" };
        var instance = new FlowInstance { App = "a", Entity = "e", Visited = ["start", "review", "route", "handle", "review", "handle", "final"], Tasks = [task] };

        var option = UiViews.Option(instance, flow, task);

        Assert.Equal(["review", "handle"], option.ReturnTargets.Select(t => t.Key));
        Assert.Equal(["初审", "办理"], option.ReturnTargets.Select(t => t.Name));
        Assert.Equal("终审", option.StepName);
        Assert.Equal(["note"], option.Editable);
        Assert.Equal(["note"], option.Required);
    }
}
