using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Steps;
using Platform.Core.Metadata;
using Platform.Designer.Flows;

namespace Platform.Runtime.Tests.Ui.Flows;

public sealed class FlowProblemMapTests
{
    private static readonly EntityDefinition Entity = new()
    {
        Key = "leave",
        Label = "请假",
        Fields = [new FieldDefinition { Key = "days", Type = "integer" }],
    };

    [Fact]
    public void Place_PutsTheValidatorsProblemsOnTheirStepsAndEdges()
    {
        var flow = new FlowDefinition
        {
            Key = "leave_flow",
            Name = "请假",
            Entity = "leave",
            Steps =
            [
                new FlowStep { Key = "start", Type = "start" },
                new FlowStep { Key = "approve", Type = "approval" },
                new FlowStep { Key = "end", Type = "end" },
            ],
            Transitions =
            [
                new FlowTransition { From = "start", To = "approve" },
                new FlowTransition { From = "approve", To = "end", Condition = "nonexistent > 1" },
            ],
        };
        var validator = new FlowValidator(FlowStepRegistry.CreateDefault(), new JintExpressionEngine(new ExpressionLimits()));

        var problems = FlowProblemMap.Place(flow, validator.Validate(flow, Entity));

        Assert.Contains(problems, p => p.Step == "approve" && p.Message.Contains("处理人", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { IsOnEdge: true, From: "approve", To: "end" } && p.Message.Contains("nonexistent", StringComparison.Ordinal));
        var canvas = JsonNode.Parse(FlowProblemMap.ToCanvasJson(problems))!;
        Assert.NotNull(canvas["nodes"]!["approve"]);
        Assert.Equal("end", canvas["edges"]![0]!["target"]!.GetValue<string>());
    }

    [Fact]
    public void Place_KeepsFlowLevelProblemsOffTheCanvas()
    {
        var flow = new FlowDefinition { Key = "f", Name = "f", Entity = "e" };

        var problem = FlowProblemMap.Place(flow, "$.steps", "流程需要一个开始步骤");
        var outOfRange = FlowProblemMap.Place(flow, "$.steps[4].key", "无效");

        Assert.Null(problem.Step);
        Assert.False(problem.IsOnEdge);
        Assert.Null(outOfRange.Step);
    }
}
