using Platform.Core.Flows.Definitions;
using Platform.Designer.Flows;

namespace Platform.Runtime.Tests.Ui.Flows;

public sealed class FlowEditsTests
{
    private static readonly FlowDefinition Empty = new() { Key = "f", Name = "f", Entity = "e" };

    [Fact]
    public void AddStep_KeepsTheCanvasKey_AndNumbersADuplicate()
    {
        var flow = FlowEdits.AddStep(Empty, "approval_1", "approval", 10, 20, "审批");
        flow = FlowEdits.AddStep(flow, "approval_1", "approval", 30, 40);

        Assert.Equal(["approval_1", "approval_2"], flow.Steps.Select(s => s.Key));
        Assert.Equal(new StepPosition(10, 20), flow.Steps[0].Position);
        Assert.Equal("审批", flow.Steps[0].Name);
    }

    [Fact]
    public void AddTransition_MakesTheFirstGatewayEdgeTheDefault_AndRefusesADuplicate()
    {
        var flow = FlowEdits.AddStep(FlowEdits.AddStep(FlowEdits.AddStep(Empty, "gw", "gateway", 0, 0), "a", "task", 0, 0), "b", "task", 0, 0);

        flow = FlowEdits.AddTransition(flow, "gw", "a");
        flow = FlowEdits.AddTransition(flow, "gw", "b");
        flow = FlowEdits.AddTransition(flow, "gw", "b");

        Assert.Equal(2, flow.Transitions.Count);
        Assert.True(flow.Transitions[0].IsDefault);
        Assert.False(flow.Transitions[1].IsDefault);

        flow = FlowEdits.SetDefault(FlowEdits.UpdateTransition(flow, "gw", "b", t => t with { Condition = "x > 1" }), "gw", "b");
        Assert.Equal([false, true], flow.Transitions.Select(t => t.IsDefault));
        Assert.Null(flow.Transitions[1].Condition);
    }

    [Fact]
    public void RemoveStep_DropsItsEdges_AndRejectionsBackToIt()
    {
        var flow = FlowEdits.AddStep(FlowEdits.AddStep(Empty, "a", "approval", 0, 0), "b", "approval", 0, 0);
        flow = FlowEdits.UpdateStep(FlowEdits.AddTransition(flow, "a", "b"), "b", s => s with { RejectTo = "a" });

        flow = FlowEdits.RemoveStep(flow, "a");

        Assert.Equal(["b"], flow.Steps.Select(s => s.Key));
        Assert.Empty(flow.Transitions);
        Assert.Null(flow.Steps[0].RejectTo);
    }

    [Fact]
    public void SetFieldAccess_MovesAFieldBetweenLists_AndKeepsRequiredOnlyForEditable()
    {
        var access = FlowEdits.SetFieldAccess(null, "amount", "editable", required: true);
        Assert.Equal(["amount"], access.Editable);
        Assert.Equal(["amount"], access.Required);
        Assert.Equal("editable", FlowEdits.FieldMode(access, "amount"));

        access = FlowEdits.SetFieldAccess(access, "amount", "hidden", required: true);
        Assert.Empty(access.Editable);
        Assert.Empty(access.Required);
        Assert.Equal(["amount"], access.Hidden);

        Assert.Null(FlowEdits.Trim(FlowEdits.SetFieldAccess(access, "amount", null, false)));
    }
}
