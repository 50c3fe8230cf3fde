using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Flows.Steps;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Flows;

public sealed class FlowInterpreterTests
{
    private static readonly EntityDefinition Item = JsonSerializer.Deserialize<EntityDefinition>("""
        { "key": "item", "label": "条目", "fields": [
          { "key": "amount", "type": "number", "label": "金额" },
          { "key": "kind", "type": "text", "label": "类型" },
          { "key": "due", "type": "datetime", "label": "截止" },
          { "key": "status", "type": "text", "label": "状态" },
          { "key": "owner", "type": "user", "label": "负责人" },
          { "key": "note", "type": "text", "label": "备注" } ] }
        """, MetadataJson.Options)!;

    private static FlowDefinition Flow(string steps, string transitions, string extra = "") => FlowHarness.Parse($$"""
        { "key": "f", "name": "测试流程", "entity": "item", "statusField": "status", "rejectedRecordStatus": "rejected"{{extra}},
          "steps": [ { "key": "start", "type": "start" }, {{steps}}, { "key": "done", "type": "end", "recordStatus": "done" } ],
          "transitions": [ {{transitions}} ] }
        """);

    private static FlowHarness Harness(FlowDefinition flow, object? record = null) =>
        new(flow, Item, JsonSerializer.SerializeToNode(record ?? new { amount = 100 })!.AsObject());

    private static FlowHarness ReturnFlow(decimal amount, string kind = "return")
    {
        var app = SampleApp.Definition;
        return new FlowHarness(app.FindFlow("return_flow")!, app.FindEntity("return_request")!, new JsonObject
        {
            ["amount"] = amount, ["kind"] = kind, ["reason"] = "quality", ["quantity"] = 1,
        });
    }

    [Fact]
    public void ReturnFlow_PassesSupervisorThenRefund_WhenAmountAbove500AndKindReturn()
    {
        var h = ReturnFlow(800);
        Assert.True(h.Start("customer").IsOk);
        Assert.Equal(["cs_review"], h.Active);
        Assert.Equal("pending", h.Record["status"]!.GetValue<string>());
        Assert.True(h.Act("cs01", "approve").IsOk);
        Assert.Equal(["supervisor_approval"], h.Active);
        Assert.True(h.Act("sup01", "approve").IsOk);
        Assert.Equal(["warehouse_qc"], h.Active);
        Assert.True(h.Act("wh01", "approve").IsOk);
        Assert.Equal(["finance_refund"], h.Active);
        Assert.True(h.Act("fin01", "approve").IsOk);
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
        Assert.Equal("refunded", h.Record["status"]!.GetValue<string>());
    }

    [Fact]
    public void ReturnFlow_SkipsSupervisorAndShipsReplacement_WhenAmount500AndExchange()
    {
        var h = ReturnFlow(500, "exchange");
        h.Start("customer");
        h.Act("cs01", "approve");
        Assert.Equal(["warehouse_qc"], h.Active);
        h.Act("wh01", "approve");
        Assert.Equal(["ship_replacement"], h.Active);
        h.Act("wh01", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
        Assert.Equal("shipped", h.Record["status"]!.GetValue<string>());
    }

    [Fact]
    public void Reject_EndsRejectedWithPublicComment_WhenNoRejectTarget()
    {
        var h = ReturnFlow(800);
        h.Start("customer");
        var result = h.Act("cs01", "reject", comment: "超过七天且无质量问题");
        Assert.True(result.IsOk);
        Assert.Equal(FlowStatuses.Rejected, h.Instance.Status);
        Assert.Empty(h.Instance.Tasks);
        Assert.Equal("rejected", h.Record["status"]!.GetValue<string>());
        var end = h.History.Last();
        Assert.Equal("end", end.Action);
        Assert.True(end.Public);
        Assert.Equal("超过七天且无质量问题", end.Comment);
        Assert.Contains(result.Notifications, n => n.Kind == "result" && n.Users.Contains("customer"));
    }

    [Fact]
    public void Act_IsForbidden_WhenTaskBelongsToAnotherRole()
    {
        var h = ReturnFlow(800);
        h.Start("customer");
        var result = h.Act(h.OpenTasks()[0].Id, "wh01", "approve");
        Assert.Equal(FlowErrorKind.Forbidden, result.Error!.Kind);
    }

    [Fact]
    public void Act_IsConflict_WhenTaskAlreadyDecided()
    {
        var h = ReturnFlow(800);
        h.Start("customer");
        var task = h.OpenTasks()[0].Id;
        var before = h.Instance;
        Assert.True(h.Act(task, "cs01", "approve").IsOk);
        var second = FlowHarness.Interpreter.Act(h.Context, h.Instance, new TaskAction { TaskId = task, Action = "approve", Actor = FlowHarness.Actor("cs02") });
        Assert.Equal(FlowErrorKind.Conflict, second.Error!.Kind);
        Assert.Single(before.Tasks);
    }

    [Fact]
    public void Countersign_CompletesOnlyWhenAllApprove()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "countersign", "assignees": { "roles": ["team"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        Assert.Equal(3, h.OpenTasks().Count);
        h.Act("a", "approve");
        h.Act("b", "approve");
        Assert.Equal(["sign"], h.Active);
        h.Act("c", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void Countersign_RejectsAtOnce_WhenAnyoneRejects()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "countersign", "assignees": { "roles": ["team"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        h.Act("a", "approve");
        h.Act("b", "reject", comment: "不同意");
        Assert.Equal(FlowStatuses.Rejected, h.Instance.Status);
        Assert.Empty(h.Instance.Tasks);
    }

    [Fact]
    public void Countersign_PassesAtPercentage_WhenOneOfThreeRejects()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "countersign", "passPercent": 60, "assignees": { "roles": ["team"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        h.Act("a", "reject");
        Assert.Equal(FlowStatuses.Running, h.Instance.Status);
        h.Act("b", "approve");
        Assert.Equal(["sign"], h.Active);
        h.Act("c", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void OrSign_FirstDecisionClosesOtherTasks()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "or-sign", "assignees": { "users": ["a", "b", "c"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        Assert.Equal(3, h.OpenTasks().Count);
        var result = h.Act("b", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
        Assert.Equal(2, result.ClosedTasks.Count(c => c.Status == FlowTaskStatuses.Cancelled));
    }

    [Fact]
    public void Sequential_OpensNextSignerOnlyAfterPreviousApproves()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "sequential", "assignees": { "users": ["a", "b"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        Assert.Equal("a", Assert.Single(h.OpenTasks()).Assignee);
        h.Act("a", "approve");
        Assert.Equal("b", Assert.Single(h.OpenTasks()).Assignee);
        h.Act("b", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void ParallelJoin_WaitsForEveryBranch()
    {
        var h = Harness(Flow("""
            { "key": "split", "type": "parallel" },
            { "key": "left", "type": "approval", "assignees": { "users": ["a"] } },
            { "key": "right", "type": "approval", "assignees": { "users": ["b"] } },
            { "key": "join", "type": "join" },
            { "key": "last", "type": "approval", "assignees": { "users": ["c"] } }
            """, """
            { "from": "start", "to": "split" }, { "from": "split", "to": "left" }, { "from": "split", "to": "right" },
            { "from": "left", "to": "join" }, { "from": "right", "to": "join" }, { "from": "join", "to": "last" }, { "from": "last", "to": "done" }
            """));
        h.Start();
        Assert.Equal(["left", "right"], h.Active.Order());
        h.Act("b", "approve");
        Assert.Equal(["join", "left"], h.Active.Order());
        Assert.DoesNotContain("last", h.Active);
        h.Act("a", "approve");
        Assert.Equal(["last"], h.Active);
        Assert.Equal(1, h.Instance.Visited.Count(v => v == "last"));
    }

    [Fact]
    public void Gateway_TakesDefault_WhenNoConditionHolds()
    {
        var h = Harness(Flow("""
            { "key": "gw", "type": "gateway" },
            { "key": "big", "type": "approval", "assignees": { "users": ["a"] } },
            { "key": "small", "type": "approval", "assignees": { "users": ["b"] } }
            """, """
            { "from": "start", "to": "gw" }, { "from": "gw", "to": "big", "condition": "amount > 1000" }, { "from": "gw", "to": "small", "isDefault": true },
            { "from": "big", "to": "done" }, { "from": "small", "to": "done" }
            """), new { amount = 10 });
        h.Start();
        Assert.Equal(["small"], h.Active);
    }

    [Fact]
    public void Transfer_MovesTaskToPickedUser()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        var result = h.Act("a", "transfer", to: "b", comment: "请 b 处理");
        Assert.Equal("b", Assert.Single(result.ChangedTasks).Assignee);
        Assert.Equal(FlowErrorKind.Forbidden, h.Act(h.OpenTasks()[0].Id, "a", "approve").Error!.Kind);
        h.Act("b", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void Return_ReentersEarlierStep_AndRefusesStepsNotVisited()
    {
        var h = Harness(Flow("""
            { "key": "first", "type": "approval", "assignees": { "users": ["a"] } },
            { "key": "second", "type": "approval", "assignees": { "users": ["b"] } }
            """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }"""));
        h.Start();
        h.Act("a", "approve");
        Assert.Equal(FlowErrorKind.Invalid, h.Act("b", "return", to: "done").Error!.Kind);
        Assert.True(h.Act("b", "return", to: "first", comment: "材料不全").IsOk);
        Assert.Equal(["first"], h.Active);
        Assert.Equal("a", Assert.Single(h.OpenTasks()).Assignee);
    }

    [Fact]
    public void AddSignerBefore_SuspendsTaskUntilAddedSignerApproves()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        h.Act("a", "add-signer", to: "b", position: "before");
        Assert.Equal("b", Assert.Single(h.OpenTasks()).Assignee);
        h.Act("b", "approve");
        Assert.Equal(["sign"], h.Active);
        Assert.Equal("a", Assert.Single(h.OpenTasks()).Assignee);
        h.Act("a", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void AddSignerAfter_AddedSignerDecidesAfterOriginal()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        h.Act("a", "add-signer", to: "c", position: "after");
        h.Act("a", "approve");
        Assert.Equal(["sign"], h.Active);
        Assert.Equal("c", Assert.Single(h.OpenTasks()).Assignee);
        h.Act("c", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void Withdraw_CancelsByInitiator_OnlyWhileNextStepUntouched()
    {
        var flow = Flow("""{ "key": "sign", "type": "approval", "mode": "countersign", "assignees": { "users": ["a", "b"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }""");
        var touched = Harness(flow);
        touched.Start("cs01");
        touched.Act("a", "approve");
        Assert.Equal(FlowErrorKind.Conflict, touched.OnInstance("cs01", "withdraw").Error!.Kind);

        var fresh = Harness(flow);
        fresh.Start("cs01");
        Assert.Equal(FlowErrorKind.Forbidden, fresh.OnInstance("b", "withdraw").Error!.Kind);
        var result = fresh.OnInstance("cs01", "withdraw", "填错了");
        Assert.True(result.IsOk);
        Assert.Equal(FlowStatuses.Cancelled, fresh.Instance.Status);
        Assert.Equal(2, result.ClosedTasks.Count);
    }

    [Fact]
    public void Withdraw_ByLastApprover_ReturnsToTheirStep()
    {
        var h = Harness(Flow("""
            { "key": "first", "type": "approval", "assignees": { "users": ["a"] } },
            { "key": "second", "type": "approval", "assignees": { "users": ["b"] } }
            """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }"""));
        h.Start();
        h.Act("a", "approve");
        Assert.True(h.OnInstance("a", "withdraw").IsOk);
        Assert.Equal(["first"], h.Active);
    }

    [Fact]
    public void Deadline_AutoApprovesInBusinessTime_WhenTimerFires()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] }, "deadline": { "hours": 4, "action": "auto-approve" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Now = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.FromHours(8));
        h.Start();
        var timer = Assert.Single(h.Timers);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.FromHours(8)), timer.DueAt);
        Assert.Equal(timer.DueAt, h.OpenTasks()[0].DueAt);
        h.AdvanceTo(timer.DueAt.AddSeconds(-1));
        Assert.Equal(FlowStatuses.Running, h.Instance.Status);
        h.AdvanceTo(timer.DueAt);
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
        Assert.Contains(h.History, e => e.Action == "auto-approve");
    }

    [Fact]
    public void Deadline_EscalatesToRole_AndEscalationTaskDecides()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "mode": "countersign", "assignees": { "users": ["a", "b"] }, "deadline": { "minutes": 30, "businessTime": false, "action": "escalate", "notifyRole": "supervisor" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        h.AdvanceTo(h.Now.AddMinutes(31));
        var escalation = Assert.Single(h.OpenTasks(), t => t.Role == "supervisor");
        h.Act(escalation.Id, "sup01", "approve");
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void Deadline_PausesWhileWaitingOnCustomer_AndRecomputesFromDueField()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] }, "deadline": { "hours": 2, "businessTime": false, "pauseWhen": "status == 'waiting'" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""));
        h.Start();
        var due = h.Timers.Single().DueAt;
        h.Now = h.Now.AddHours(1);
        h.RecordChanged("status", "waiting");
        Assert.Empty(h.Timers);
        h.Now = h.Now.AddHours(5);
        h.RecordChanged("status", "working");
        Assert.Equal(due.AddHours(5), h.Timers.Single().DueAt);

        var byField = Harness(Flow("""{ "key": "sign", "type": "approval", "assignees": { "users": ["a"] }, "deadline": { "dueField": "due" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""), new { due = "2026-12-01T02:00:00Z" });
        byField.Start();
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T02:00:00Z"), byField.Timers.Single().DueAt);
        byField.RecordChanged("due", "2026-12-03T02:00:00Z");
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T02:00:00Z"), byField.Timers.Single().DueAt);
    }

    [Fact]
    public void Wait_HoldsUntilTimer_ThenMovesOn()
    {
        var h = Harness(Flow("""{ "key": "cool", "type": "wait", "wait": { "hours": 24 } }""",
            """{ "from": "start", "to": "cool" }, { "from": "cool", "to": "done" }"""));
        h.Start();
        Assert.Equal(["cool"], h.Active);
        h.AdvanceTo(h.Now.AddHours(24));
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void CcAndAutomation_NotifyGrantAndSetFields()
    {
        var h = Harness(Flow("""
            { "key": "copy", "type": "cc", "assignees": { "roles": ["finance"] } },
            { "key": "calc", "type": "automation", "setFields": { "note": "'金额 ' + amount" } }
            """, """{ "from": "start", "to": "copy" }, { "from": "copy", "to": "calc" }, { "from": "calc", "to": "done" }"""));
        var result = h.Start();
        Assert.Equal(["fin01"], Assert.Single(result.CcGrants).Users);
        Assert.Equal("金额 100", result.RecordChanges["note"]!.GetValue<string>());
        Assert.Equal(FlowStatuses.Completed, h.Instance.Status);
    }

    [Fact]
    public void UserField_AssignsTheUserNamedInTheRecord()
    {
        var h = Harness(Flow("""{ "key": "sign", "type": "task", "assignees": { "userField": "owner" }, "fields": { "editable": ["note"], "required": ["note"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }"""), new { owner = "c" });
        h.Start();
        Assert.Equal("c", Assert.Single(h.OpenTasks()).Assignee);
        Assert.Equal(FlowErrorKind.Invalid, h.Act("c", "approve").Error!.Kind);
        Assert.True(h.Act("c", "approve", fields: new JsonObject { ["note"] = "修好了" }).IsOk);
    }

    [Fact]
    public void Start_IsPure_InputInstanceNeverChanges()
    {
        var h = ReturnFlow(800);
        h.Start();
        var before = JsonSerializer.Serialize(h.Instance, MetadataJson.Options);
        var copy = h.Instance;
        FlowHarness.Interpreter.Act(h.Context, copy, new TaskAction { TaskId = copy.Tasks[0].Id, Action = "approve", Actor = FlowHarness.Actor("cs01") });
        Assert.Equal(before, JsonSerializer.Serialize(copy, MetadataJson.Options));
    }

    [Fact]
    public void Simulate_ReportsPathAndAssignees_WithoutWriting()
    {
        var app = SampleApp.Definition;
        var simulator = new FlowSimulator(FlowHarness.Interpreter);
        var h = ReturnFlow(800);
        var run = simulator.Run(h.Context);
        Assert.Equal(FlowStatuses.Completed, run.Status);
        Assert.Equal(["start", "cs_review", "amount_check", "supervisor_approval", "warehouse_qc", "kind_check", "finance_refund", "refunded"], run.Path.Select(p => p.Step));
        Assert.Equal(["role:customer_service"], run.Path[1].Assignees);
        var rejected = simulator.Run(ReturnFlow(100).Context, new Dictionary<string, string> { ["warehouse_qc"] = "reject" });
        Assert.Equal(FlowStatuses.Rejected, rejected.Status);
        Assert.NotNull(app);
    }
}
