using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Flows.Steps;

namespace Platform.Core.Tests.Flows;

public sealed class FlowValidatorTests
{
    private static readonly FlowValidator Validator = new(FlowStepRegistry.CreateDefault(), FlowHarness.Expressions);

    [Fact]
    public void Validate_AcceptsEveryTemplateFlow()
    {
        foreach (var flow in SampleApp.Definition.Flows)
        {
            Assert.Empty(Validator.Validate(flow, SampleApp.Entity(flow.Entity)));
        }
    }

    [Fact]
    public void Validate_ReportsUnreachableStep_GatewayWithoutDefault_AndBadAssigneeExpression()
    {
        var flow = FlowHarness.Parse("""
            { "key": "f", "name": "坏流程", "entity": "return_request", "steps": [
              { "key": "start", "type": "start" },
              { "key": "gw", "type": "gateway" },
              { "key": "a", "type": "approval", "assignees": { "expression": "amount >" } },
              { "key": "orphan", "type": "approval", "assignees": { "roles": ["x"] } },
              { "key": "teleport", "type": "teleport" },
              { "key": "end", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "gw" }, { "from": "gw", "to": "a", "condition": "amount > 1" },
                { "from": "a", "to": "end" }, { "from": "orphan", "to": "end" }, { "from": "teleport", "to": "end" }, { "from": "a", "to": "nowhere" } ] }
            """);
        var problems = Validator.Validate(flow, SampleApp.Entity("return_request"));
        Assert.Contains(problems, p => p.Path == "$.steps[3]" && p.Message.Contains("无法从开始步骤到达"));
        Assert.Contains(problems, p => p.Path == "$.steps[1].transitions" && p.Message.Contains("默认分支"));
        Assert.Contains(problems, p => p.Path == "$.steps[2].assignees.expression" && p.Message.Contains("无法编译"));
        Assert.Contains(problems, p => p.Path == "$.steps[4].type" && p.Message.Contains("teleport"));
        Assert.Contains(problems, p => p.Path == "$.transitions[5].to" && p.Message.Contains("nowhere"));
    }

    [Fact]
    public void Validate_ReportsConditionOnUnknownField()
    {
        var flow = FlowHarness.Parse("""
            { "key": "f", "name": "流程", "entity": "return_request", "steps": [
              { "key": "start", "type": "start" }, { "key": "gw", "type": "gateway" }, { "key": "end", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "gw" }, { "from": "gw", "to": "end", "condition": "colour == 'red'" }, { "from": "gw", "to": "end", "isDefault": true } ] }
            """);
        var problem = Assert.Single(Validator.Validate(flow, SampleApp.Entity("return_request")));
        Assert.Equal("$.transitions[1].condition", problem.Path);
        Assert.Contains("colour", problem.Message);
    }

    [Fact]
    public void Migrate_RefusesMappingThatLeavesTokenNowhere_AndMovesWhenMapped()
    {
        var v1 = SampleApp.Definition.FindFlow("return_flow")!;
        var v2 = v1 with
        {
            Version = 2,
            Steps = v1.Steps.Select(s => s.Key == "cs_review" ? s with { Key = "first_review" } : s).ToList(),
            Transitions = v1.Transitions.Select(t => t with { From = t.From == "cs_review" ? "first_review" : t.From, To = t.To == "cs_review" ? "first_review" : t.To }).ToList(),
        };
        var h = new FlowHarness(v1, SampleApp.Entity("return_request"), new() { ["amount"] = 100, ["kind"] = "return" });
        h.Start();
        var migration = new FlowMigration(FlowStepRegistry.CreateDefault());
        var (refused, problems) = migration.Migrate(h.Instance, v1, v2, new Dictionary<string, string>());
        Assert.Null(refused);
        Assert.Contains(problems, p => p.Message.Contains("cs_review"));
        var (moved, none) = migration.Migrate(h.Instance, v1, v2, new Dictionary<string, string> { ["cs_review"] = "first_review" });
        Assert.Empty(none);
        Assert.Equal(2, moved!.Version);
        Assert.Equal("first_review", moved.Tasks.Single().Step);
        h.Flow = v2;
        var result = FlowHarness.Interpreter.Act(h.Context with { Definition = v2 }, moved, new TaskAction { TaskId = moved.Tasks[0].Id, Action = "approve", Actor = FlowHarness.Actor("cs01") });
        Assert.True(result.IsOk);
        Assert.Equal(FlowStatuses.Running, result.Instance.Status);
        Assert.Equal(["warehouse_qc"], result.Instance.Active.Select(a => a.Step));
    }
}
