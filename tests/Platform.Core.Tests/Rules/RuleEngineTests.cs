using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using static Platform.Core.Tests.Rules.RuleTestKit;

namespace Platform.Core.Tests.Rules;

public sealed class RuleEngineTests
{
    private static RuleDefinition Simple(string key, string trigger = RuleTriggerTypes.RecordCreated, string entity = "return_request", int priority = 100, bool enabled = true) => new()
    {
        Key = key,
        Name = key,
        Entity = entity,
        Trigger = new RuleTrigger { Type = trigger },
        Priority = priority,
        Enabled = enabled,
        Actions = [new RuleActionDefinition { Type = "notify", To = new RuleRecipients { Roles = ["supervisor"] }, Text = "x" }],
    };

    private static RuleEvent StepEvent(string type, string entity, string? flow, string? step) =>
        Event(type, entity, Record("{}")) with { Flow = flow, Step = step };

    // ---------- Match ----------

    [Fact]
    public void Match_OrdersByPriorityLowestFirst_AndKeepsDefinitionOrderOnTies()
    {
        var rules = new[]
        {
            Simple("zeta_default"),
            Simple("mid_b", priority: 10),
            Simple("first", priority: 1),
            Simple("mid_a", priority: 10),
            Simple("last_late", priority: 500),
            Simple("alpha_default"),
        };
        var matched = RuleEngine.Match(rules, Event(RuleTriggerTypes.RecordCreated, "return_request", Record("{}")));
        Assert.Equal(["first", "mid_b", "mid_a", "zeta_default", "alpha_default", "last_late"], matched.Select(r => r.Key));
    }

    [Fact]
    public void Match_SkipsDisabledRules_AndRulesOfOtherEntitiesOrTriggers()
    {
        var rules = new[]
        {
            Simple("on", priority: 5),
            Simple("off", priority: 1, enabled: false),
            Simple("other_entity", entity: "service_request"),
            Simple("other_trigger", trigger: RuleTriggerTypes.RecordDeleted),
        };
        var matched = RuleEngine.Match(rules, Event(RuleTriggerTypes.RecordCreated, "return_request", Record("{}")));
        Assert.Equal("on", Assert.Single(matched).Key);
    }

    [Fact]
    public void Match_ReturnsEmpty_WhenNothingMatches() =>
        Assert.Empty(RuleEngine.Match([Simple("a")], Event(RuleTriggerTypes.RecordDeleted, "return_request")));

    [Fact]
    public void Match_PicksTheTemplateRules_ForTheEventsTheyAreWrittenFor()
    {
        Assert.Equal(["auto_approve_no_reason"],
            RuleEngine.Match(TemplateRules, StepEvent(RuleTriggerTypes.StepEntered, "return_request", "return_flow", "cs_review")).Select(r => r.Key));
        Assert.Equal(["qc_passed_notify"],
            RuleEngine.Match(TemplateRules, StepEvent(RuleTriggerTypes.StepCompleted, "return_request", "return_flow", "warehouse_qc")).Select(r => r.Key));
        Assert.Equal(["auto_dispatch"],
            RuleEngine.Match(TemplateRules, StepEvent(RuleTriggerTypes.StepEntered, "service_request", "service_flow", "dispatch")).Select(r => r.Key));
        // Open jobs are an aggregate field now; no rule counts them.
        Assert.Empty(RuleEngine.Match(TemplateRules, StepEvent(RuleTriggerTypes.StepCompleted, "service_request", "service_flow", "dispatch")));
        Assert.Equal(["deduct_stock"],
            RuleEngine.Match(TemplateRules, Event(RuleTriggerTypes.RecordCreated, "part_usage", Record("{}"))).Select(r => r.Key));
        Assert.Equal(["low_stock_purchase"],
            RuleEngine.Match(TemplateRules, Event(RuleTriggerTypes.RecordUpdated, "spare_part", Record("""{ "stock": 4 }"""), Record("""{ "stock": 6 }"""), ["stock"])).Select(r => r.Key));
        Assert.Empty(RuleEngine.Match(TemplateRules, Event(RuleTriggerTypes.RecordUpdated, "spare_part", Record("""{ "name": "x" }"""), Record("""{ "name": "y" }"""), ["name"])));
        Assert.Equal(["cs_review_overdue"],
            RuleEngine.Match(TemplateRules, StepEvent(RuleTriggerTypes.TaskOverdue, "return_request", "return_flow", "cs_review") with { Rule = "cs_review_overdue" }).Select(r => r.Key));
    }

    // ---------- Matches ----------

    [Fact]
    public void Matches_IsFalse_WhenEventIsForAnotherEntity()
    {
        var rule = Simple("r", entity: "spare_part");
        Assert.True(RuleEngine.Matches(rule, Event(RuleTriggerTypes.RecordCreated, "spare_part")));
        Assert.False(RuleEngine.Matches(rule, Event(RuleTriggerTypes.RecordCreated, "part_usage")));
        Assert.False(RuleEngine.Matches(rule, Event(RuleTriggerTypes.RecordCreated, null)));
    }

    [Theory]
    [InlineData(RuleTriggerTypes.RecordCreated)]
    [InlineData(RuleTriggerTypes.RecordUpdated)]
    [InlineData(RuleTriggerTypes.RecordDeleted)]
    public void Matches_RequiresTheSameType_WhenTriggerIsARecordEvent(string type)
    {
        var rule = Simple("r", trigger: type);
        foreach (var other in new[] { RuleTriggerTypes.RecordCreated, RuleTriggerTypes.RecordUpdated, RuleTriggerTypes.RecordDeleted })
        {
            Assert.Equal(other == type, RuleEngine.Matches(rule, Event(other, "return_request", Record("{}"), Record("{}"), ["status"])));
        }
    }

    private static RuleDefinition FieldChanged(string json) => Rule($$"""
        { "key": "fc", "name": "fc", "entity": "return_request", "trigger": {{json}}, "actions": [] }
        """);

    [Fact]
    public void Matches_FieldChanged_WhenFieldIsAmongTheChangedOnAnUpdate()
    {
        var rule = FieldChanged("""{ "type": "field.changed", "field": "status" }""");
        Assert.True(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "approved" }"""), Record("""{ "status": "pending" }"""), ["amount", "status"])));
        Assert.False(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "approved" }"""), Record("""{ "status": "approved" }"""), ["amount"])));
        Assert.False(RuleEngine.Matches(rule, Event("record.created", "return_request", Record("""{ "status": "approved" }"""), null, ["status"])));
        Assert.False(RuleEngine.Matches(rule, Event("field.changed", "return_request", Record("""{ "status": "approved" }"""), null, ["status"])));
    }

    [Theory]
    [InlineData("pending", "approved", true)]
    [InlineData("approved", "approved", false)]
    [InlineData("pending", "rejected", false)]
    [InlineData(null, "approved", false)]
    public void Matches_FieldChangedFromTo_WhenOldAndNewValuesEqualTheTrigger(string? from, string? to, bool expected)
    {
        var rule = FieldChanged("""{ "type": "field.changed", "field": "status", "from": "pending", "to": "approved" }""");
        var e = Event("record.updated", "return_request", new JsonObject { ["status"] = to }, new JsonObject { ["status"] = from }, ["status"]);
        Assert.Equal(expected, RuleEngine.Matches(rule, e));
    }

    [Fact]
    public void Matches_FieldChangedWithOnlyTo_IgnoresTheOldValue()
    {
        var rule = FieldChanged("""{ "type": "field.changed", "field": "status", "to": "approved" }""");
        Assert.True(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "approved" }"""), Record("""{ "status": "rejected" }"""), ["status"])));
        Assert.True(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "approved" }"""), null, ["status"])));
        Assert.False(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "rejected" }"""), Record("""{ "status": "approved" }"""), ["status"])));
    }

    [Fact]
    public void Matches_FieldChangedWithOnlyFrom_IgnoresTheNewValue()
    {
        var rule = FieldChanged("""{ "type": "field.changed", "field": "status", "from": "pending" }""");
        Assert.True(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "rejected" }"""), Record("""{ "status": "pending" }"""), ["status"])));
        Assert.False(RuleEngine.Matches(rule, Event("record.updated", "return_request", Record("""{ "status": "pending" }"""), Record("""{ "status": "approved" }"""), ["status"])));
    }

    [Fact]
    public void Matches_FieldChangedComparesJsonValues_WhenValuesAreNumbersOrArrays()
    {
        var numeric = FieldChanged("""{ "type": "field.changed", "field": "quantity", "from": 2, "to": 0 }""");
        Assert.True(RuleEngine.Matches(numeric, Event("record.updated", "return_request", Record("""{ "quantity": 0 }"""), Record("""{ "quantity": 2 }"""), ["quantity"])));
        Assert.True(RuleEngine.Matches(numeric, Event("record.updated", "return_request", new JsonObject { ["quantity"] = 0 }, new JsonObject { ["quantity"] = 2 }, ["quantity"])));
        Assert.False(RuleEngine.Matches(numeric, Event("record.updated", "return_request", Record("""{ "quantity": "0" }"""), Record("""{ "quantity": 2 }"""), ["quantity"])));
        Assert.False(RuleEngine.Matches(numeric, Event("record.updated", "return_request", Record("""{ "quantity": 1 }"""), Record("""{ "quantity": 2 }"""), ["quantity"])));

        var array = Rule("""{ "key": "s", "name": "s", "entity": "engineer", "trigger": { "type": "field.changed", "field": "skills", "to": ["kitchen", "laundry"] }, "actions": [] }""");
        Assert.True(RuleEngine.Matches(array, Event("record.updated", "engineer", Record("""{ "skills": ["kitchen", "laundry"] }"""), Record("""{ "skills": [] }"""), ["skills"])));
        Assert.False(RuleEngine.Matches(array, Event("record.updated", "engineer", Record("""{ "skills": ["laundry", "kitchen"] }"""), Record("""{ "skills": [] }"""), ["skills"])));
    }

    [Fact]
    public void Matches_StepTriggers_FilterByTypeFlowAndStep()
    {
        var rule = TemplateRule("auto_approve_no_reason");
        Assert.True(RuleEngine.Matches(rule, StepEvent("step.entered", "return_request", "return_flow", "cs_review")));
        Assert.False(RuleEngine.Matches(rule, StepEvent("step.entered", "return_request", "return_flow", "warehouse_qc")));
        Assert.False(RuleEngine.Matches(rule, StepEvent("step.entered", "return_request", "other_flow", "cs_review")));
        Assert.False(RuleEngine.Matches(rule, StepEvent("step.completed", "return_request", "return_flow", "cs_review")));
        Assert.False(RuleEngine.Matches(rule, StepEvent("step.entered", "service_request", "return_flow", "cs_review")));

        var completed = TemplateRule("qc_passed_notify");
        Assert.True(RuleEngine.Matches(completed, StepEvent("step.completed", "return_request", "return_flow", "warehouse_qc")));
        Assert.False(RuleEngine.Matches(completed, StepEvent("step.entered", "return_request", "return_flow", "warehouse_qc")));
    }

    [Fact]
    public void Matches_StepTriggerWithoutFlowOrStep_MatchesAnyStepOfTheEntity()
    {
        var rule = Simple("any_step", trigger: RuleTriggerTypes.StepEntered);
        Assert.True(RuleEngine.Matches(rule, StepEvent("step.entered", "return_request", "return_flow", "cs_review")));
        Assert.True(RuleEngine.Matches(rule, StepEvent("step.entered", "return_request", "another_flow", "x")));
        Assert.False(RuleEngine.Matches(rule, StepEvent("step.completed", "return_request", "return_flow", "cs_review")));

        var onlyStep = rule with { Trigger = new RuleTrigger { Type = RuleTriggerTypes.StepEntered, Step = "cs_review" } };
        Assert.True(RuleEngine.Matches(onlyStep, StepEvent("step.entered", "return_request", "any_flow", "cs_review")));
        Assert.False(RuleEngine.Matches(onlyStep, StepEvent("step.entered", "return_request", "any_flow", "amount_check")));
    }

    [Fact]
    public void Matches_TaskOverdue_OnlyWhenTheTimerNamesTheRule()
    {
        var rule = TemplateRule("cs_review_overdue");
        var e = StepEvent("task.overdue", "return_request", "return_flow", "cs_review");
        Assert.True(RuleEngine.Matches(rule, e with { Rule = "cs_review_overdue" }));
        Assert.False(RuleEngine.Matches(rule, e with { Rule = "accept_overdue" }));
        Assert.False(RuleEngine.Matches(rule, e));
        Assert.False(RuleEngine.Matches(rule, e with { Type = "step.entered", Rule = "cs_review_overdue" }));
    }

    [Fact]
    public void Matches_Schedule_OnlyWhenTheTimerNamesTheRule_AndWithoutEntity()
    {
        var rule = Rule("""{ "key": "daily_report", "name": "日报", "trigger": { "type": "schedule", "cron": "0 9 * * *" }, "actions": [] }""");
        var e = new RuleEvent { Type = "schedule", App = "after_sales" };
        Assert.True(RuleEngine.Matches(rule, e with { Rule = "daily_report" }));
        Assert.False(RuleEngine.Matches(rule, e with { Rule = "weekly_report" }));
        Assert.False(RuleEngine.Matches(rule, e));
        Assert.False(RuleEngine.Matches(rule, e with { Type = "webhook", Rule = "daily_report" }));
    }

    [Fact]
    public void Matches_Webhook_ByHookKey()
    {
        var rule = Rule("""{ "key": "erp_in", "name": "ERP", "trigger": { "type": "webhook", "hook": "erp_order" }, "actions": [] }""");
        var e = new RuleEvent { Type = "webhook", App = "after_sales", Hook = "erp_order" };
        Assert.True(RuleEngine.Matches(rule, e));
        Assert.False(RuleEngine.Matches(rule, e with { Hook = "crm_order" }));
        Assert.False(RuleEngine.Matches(rule, e with { Hook = null }));
        Assert.False(RuleEngine.Matches(rule, e with { Type = "schedule" }));
    }

    // ---------- EvaluateCondition ----------

    private static RuleConditionResult Condition(RuleDefinition rule, string entity, JsonObject record, RuleEvent? e = null) =>
        Engine.EvaluateCondition(rule, SampleApp.Entity(entity), e ?? Event("record.updated", entity, record), record, Now);

    [Theory]
    [InlineData(2, "no_reason", true)]
    [InlineData(1, "no_reason", false)]
    [InlineData(2, "quality", false)]
    [InlineData(1, "quality", false)]
    public void EvaluateCondition_AndsTypedAndBuiltConditions_WhenBothAreGiven(int quantity, string reason, bool expected)
    {
        var rule = Rule("""
            { "key": "both", "name": "both", "entity": "return_request", "trigger": { "type": "record.updated" },
              "condition": "quantity > 1", "when": { "all": [ { "field": "reason", "op": "eq", "value": "no_reason" } ] }, "actions": [] }
            """);
        var result = Condition(rule, "return_request", new JsonObject { ["quantity"] = quantity, ["reason"] = reason });
        Assert.Equal(expected, result.Passed);
        Assert.Null(result.Error);
        Assert.Contains("quantity > 1", result.Expression);
        Assert.Contains("reason", result.Expression);
    }

    [Fact]
    public void EvaluateCondition_PassesAlways_WhenRuleHasNoCondition()
    {
        var result = Condition(Simple("none"), "return_request", Record("{}"));
        Assert.True(result.Passed);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("undefinedFn()")]
    [InlineData("(function () { while (true) {} })()")]
    [InlineData("quantity >")]
    [InlineData("null.x")]
    public void EvaluateCondition_ReportsAnError_WhenTheExpressionFaults(string condition)
    {
        var rule = Simple("bad") with { Condition = condition };
        var watch = Stopwatch.StartNew();
        var result = Condition(rule, "return_request", Record("""{ "quantity": 2 }"""));
        watch.Stop();
        Assert.False(result.Passed);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Equal(condition, result.Expression);
        Assert.True(watch.ElapsedMilliseconds < 3000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void EvaluateCondition_ReportsAnError_WhenTheBuiltConditionDoesNotCompile()
    {
        var rule = Simple("bad_built") with { When = Platform.Core.Tests.Rules.RuleTestKit.Condition("""{ "field": "colour", "op": "eq", "value": "red" }""") };
        var result = Condition(rule, "return_request", Record("{}"));
        Assert.False(result.Passed);
        Assert.Contains("colour", result.Error);
    }

    [Fact]
    public void EvaluateCondition_SeesOldChangedEventAndId_WhenARecordIsUpdated()
    {
        var record = Record("""{ "status": "approved", "quantity": 2 }""");
        var e = Event("record.updated", "return_request", record, Record("""{ "status": "pending", "quantity": 2 }"""), ["status"]);
        var rule = Simple("vars") with
        {
            Condition = $"$old.status == 'pending' && status == 'approved' && $changed.indexOf('status') >= 0 && $changed.length == 1 && $event == 'record.updated' && $id == '{RecordId}' && $step == null",
        };
        Assert.True(Condition(rule, "return_request", record, e).Passed);
        Assert.False(Condition(rule, "return_request", record, e with { RecordId = OtherId }).Passed);
        Assert.False(Condition(rule, "return_request", record, e with { Changed = ["status", "quantity"] }).Passed);
        Assert.False(Condition(rule, "return_request", record, e with { Old = Record("""{ "status": "rejected" }""") }).Passed);
    }

    [Fact]
    public void EvaluateCondition_SeesTheStep_WhenAStepTriggerFires()
    {
        var rule = Simple("step_var", trigger: RuleTriggerTypes.StepEntered) with { Condition = "$step == 'cs_review' && $event == 'step.entered' && $old == null" };
        var record = Record("{}");
        Assert.True(Condition(rule, "return_request", record, StepEvent("step.entered", "return_request", "return_flow", "cs_review")).Passed);
        Assert.False(Condition(rule, "return_request", record, StepEvent("step.entered", "return_request", "return_flow", "amount_check")).Passed);
    }

    [Theory]
    [InlineData(0, "no_reason", true)]
    [InlineData(7, "no_reason", true)]
    [InlineData(8, "no_reason", false)]
    [InlineData(3, "quality", false)]
    public void EvaluateCondition_FollowsTheTemplatesAutoApproveRule_WhenReasonAndPurchaseDateVary(int daysAgo, string reason, bool expected)
    {
        var record = new JsonObject { ["reason"] = reason, ["purchased_at"] = DaysAgo(daysAgo) };
        var result = Condition(TemplateRule("auto_approve_no_reason"), "return_request", record, StepEvent("step.entered", "return_request", "return_flow", "cs_review") with { Record = record });
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Passed);
    }

    [Theory]
    [InlineData("""{ "stock": 4, "safety_stock": 5 }""", """{ "stock": 6, "safety_stock": 5 }""", true)]
    [InlineData("""{ "stock": 4, "safety_stock": 5 }""", """{ "stock": 5, "safety_stock": 5 }""", true)]
    [InlineData("""{ "stock": 3, "safety_stock": 5 }""", """{ "stock": 4, "safety_stock": 5 }""", false)]
    [InlineData("""{ "stock": 5, "safety_stock": 5 }""", """{ "stock": 6, "safety_stock": 5 }""", false)]
    [InlineData("""{ "stock": 4, "safety_stock": 5 }""", null, true)]
    public void EvaluateCondition_FollowsTheTemplatesLowStockRule_WhenStockCrossesSafetyStock(string now, string? before, bool expected)
    {
        var record = Record(now);
        var e = Event("record.updated", "spare_part", record, before is null ? null : Record(before), ["stock"]);
        var result = Condition(TemplateRule("low_stock_purchase"), "spare_part", record, e);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Passed);
    }

    // ---------- Plan ----------

    private static RuleActionPlan Plan(string actionJson, string entity, JsonObject record, RuleEvent? e = null) =>
        Engine.Plan(Action(actionJson), Context(entity, record, e));

    private static RuleActionPlan Plan(RuleActionDefinition action, string entity, JsonObject record, RuleEvent? e = null) =>
        Engine.Plan(action, Context(entity, record, e));

    [Fact]
    public void Plan_EvaluatesSetFieldsValues_AgainstTheRecord()
    {
        var plan = Plan("""{ "type": "set-fields", "fields": { "status": "'approved'", "quantity": "quantity * 2", "description": "customer_name + '：' + reason" } }""",
            "return_request", Record("""{ "quantity": 3, "customer_name": "张三", "reason": "quality" }"""));
        Assert.True(plan.Runs);
        Assert.Equal("set-fields", plan.Type);
        var fields = plan.Values["fields"]!.AsObject();
        Assert.Equal("approved", fields["status"]!.GetValue<string>());
        Assert.Equal("6", fields["quantity"]!.ToJsonString());
        Assert.Equal("张三：quality", fields["description"]!.GetValue<string>());
        Assert.Contains("status", plan.Summary);
    }

    [Fact]
    public void Plan_BuildsCreateRecordData_ForTheTemplatesLowStockRule()
    {
        var record = Record("""{ "part_no": "P-01", "stock": 4, "safety_stock": 5 }""");
        var plan = Engine.Plan(TemplateRule("low_stock_purchase").Actions[0], Context("spare_part", record, Event("record.updated", "spare_part", record, null, ["stock"])));
        Assert.Equal("purchase_request", plan.Values["entity"]!.GetValue<string>());
        var data = plan.Values["data"]!.AsObject();
        Assert.Equal(RecordId.ToString(), data["part"]!.GetValue<string>());
        Assert.Equal("6", data["quantity"]!.ToJsonString());
        Assert.Equal("库存 4 低于安全库存 5，系统自动申请采购", data["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_EvaluatesUpdateRecordsWhereValues_AndDefaultsTheLimit()
    {
        var action = """
            { "type": "update-records", "entity": "engineer", "where": [ { "field": "region", "value": "region" }, { "field": "open_jobs", "op": "gt", "value": "priority == 'urgent' ? 0 : 5" } ],
              "fields": { "active": "false" } }
            """;
        var plan = Plan(action, "service_request", Record("""{ "region": "east", "priority": "urgent" }"""));
        Assert.Equal("engineer", plan.Values["entity"]!.GetValue<string>());
        var where = plan.Values["where"]!.AsArray();
        Assert.Equal(2, where.Count);
        Assert.Equal("region", where[0]!["field"]!.GetValue<string>());
        Assert.Equal("eq", where[0]!["op"]!.GetValue<string>());
        Assert.Equal("east", where[0]!["value"]!.GetValue<string>());
        Assert.Equal("gt", where[1]!["op"]!.GetValue<string>());
        Assert.Equal("0", where[1]!["value"]!.ToJsonString());
        Assert.Equal(200, plan.Values["limit"]!.GetValue<int>());

        var limited = Plan(Action(action) with { Limit = 5 }, "service_request", Record("""{ "region": "east", "priority": "urgent" }"""));
        Assert.Equal(5, limited.Values["limit"]!.GetValue<int>());
    }

    [Fact]
    public void Plan_RendersTheFlowApproveComment_ForTheTemplatesAutoApproveRule()
    {
        var record = new JsonObject { ["reason"] = "no_reason", ["purchased_at"] = DaysAgo(3) };
        var plan = Engine.Plan(TemplateRule("auto_approve_no_reason").Actions[0],
            Context("return_request", record, StepEvent("step.entered", "return_request", "return_flow", "cs_review") with { Record = record }));
        Assert.Equal("flow-approve", plan.Type);
        Assert.Equal("cs_review", plan.Values["step"]!.GetValue<string>());
        Assert.Equal("approve", plan.Values["action"]!.GetValue<string>());
        Assert.Equal("七天无理由退货，购买 3 天内，系统自动通过初审（规则 auto_approve_no_reason）", plan.Values["comment"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_NamesTheReferencedRecordAndEvaluatesTheStepFields_ForTheTemplatesFeedbackRule()
    {
        var request = Guid.NewGuid().ToString();
        var record = Record($$"""{ "service_request": "{{request}}", "rating": 4, "first_time_fix": true }""");
        var plan = Engine.Plan(TemplateRule("customer_feedback_completes_follow_up").Actions[0],
            Context("feedback", record, Event("record.created", "feedback", record)));
        Assert.Equal(("flow-approve", "follow_up", "approve"), (plan.Type, plan.Values["step"]!.GetValue<string>(), plan.Values["action"]!.GetValue<string>()));
        Assert.Equal(request, plan.Values["target"]!.GetValue<string>());
        Assert.Equal("""{"csat":4,"first_time_fix":true}""", plan.Values["fields"]!.ToJsonString());
        Assert.Equal("客户通过评价链接完成回访：4 分，一次修复", plan.Values["comment"]!.GetValue<string>());

        var noReference = Engine.Plan(TemplateRule("customer_feedback_completes_follow_up").Actions[0],
            Context("feedback", Record("""{ "rating": 2 }"""), Event("record.created", "feedback", Record("""{ "rating": 2 }"""))));
        Assert.Null(noReference.Values["target"]);
        Assert.False(noReference.Values["fields"]!["first_time_fix"]!.GetValue<bool>());
    }

    [Fact]
    public void Plan_UsesTheTriggeringStep_WhenFlowRejectNamesNoStep()
    {
        var plan = Plan("""{ "type": "flow-reject", "comment": "数量 {{quantity}} 超过购买数量 {{purchased_qty}}" }""", "return_request",
            Record("""{ "quantity": 5, "purchased_qty": 2 }"""), StepEvent("step.entered", "return_request", "return_flow", "amount_check"));
        Assert.Equal("amount_check", plan.Values["step"]!.GetValue<string>());
        Assert.Equal("reject", plan.Values["action"]!.GetValue<string>());
        Assert.Equal("数量 5 超过购买数量 2", plan.Values["comment"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_EvaluatesAssignQuery_ForTheTemplatesAutoDispatchRule()
    {
        var record = Record("""{ "region": "south", "required_skill": "kitchen" }""");
        var plan = Engine.Plan(TemplateRule("auto_dispatch").Actions[0],
            Context("service_request", record, StepEvent("step.entered", "service_request", "service_flow", "dispatch") with { Record = record }));
        Assert.Equal("assign", plan.Type);
        Assert.Equal("engineer", plan.Values["entity"]!.GetValue<string>());
        Assert.Equal("dispatch", plan.Values["step"]!.GetValue<string>());
        var where = plan.Values["where"]!.AsArray();
        Assert.Equal(["active", "region", "skills"], where.Select(w => w!["field"]!.GetValue<string>()));
        Assert.True(where[0]!["value"]!.GetValue<bool>());
        Assert.Equal("south", where[1]!["value"]!.GetValue<string>());
        Assert.Equal("contains", where[2]!["op"]!.GetValue<string>());
        Assert.Equal("kitchen", where[2]!["value"]!.GetValue<string>());
        var order = Assert.Single(plan.Values["orderBy"]!.AsArray());
        Assert.Equal("open_jobs", order!["field"]!.GetValue<string>());
        Assert.False(order["desc"]!.GetValue<bool>());
    }

    [Fact]
    public void Plan_UsesTheEventStep_WhenAssignNamesNoStep()
    {
        var plan = Plan("""{ "type": "assign", "entity": "engineer", "orderBy": [ { "field": "open_jobs", "desc": true } ], "fields": { "engineer": "$candidate.id" } }""",
            "service_request", Record("{}"), StepEvent("step.entered", "service_request", "service_flow", "dispatch"));
        Assert.Equal("dispatch", plan.Values["step"]!.GetValue<string>());
        Assert.True(plan.Values["orderBy"]![0]!["desc"]!.GetValue<bool>());
        Assert.Empty(plan.Values["where"]!.AsArray());
    }

    [Fact]
    public void Plan_ReadsAdjustTargetFromTheReference_AndEvaluatesTheDelta_ForTheTemplatesDeductStockRule()
    {
        var record = new JsonObject { ["part"] = OtherId.ToString(), ["quantity"] = 3 };
        var plan = Engine.Plan(TemplateRule("deduct_stock").Actions[0], Context("part_usage", record, Event("record.created", "part_usage", record)));
        Assert.Equal("adjust", plan.Type);
        Assert.Equal("spare_part", plan.Values["entity"]!.GetValue<string>());
        Assert.Equal(OtherId.ToString(), plan.Values["id"]!.GetValue<string>());
        Assert.Equal("stock", plan.Values["field"]!.GetValue<string>());
        Assert.Equal("-3", plan.Values["delta"]!.ToJsonString());
    }

    [Fact]
    public void Plan_AdjustsTheRecordItself_WhenTargetIsSelfOrMissing()
    {
        foreach (var target in new[] { "\"self\"", "null" })
        {
            var plan = Plan($$"""{ "type": "adjust", "target": {{target}}, "field": "open_jobs", "delta": "open_jobs > 0 ? -1 : 0" }""", "engineer", Record("""{ "open_jobs": 2 }"""));
            Assert.Equal("engineer", plan.Values["entity"]!.GetValue<string>());
            Assert.Equal(RecordId.ToString(), plan.Values["id"]!.GetValue<string>());
            Assert.Equal("-1", plan.Values["delta"]!.ToJsonString());
        }
    }

    [Fact]
    public void Plan_ListsNotifyRecipients_FromUsersRolesAndTheUserField()
    {
        var plan = Plan("""
            { "type": "notify", "to": { "users": ["sup01"], "roles": ["supervisor", "customer_service"], "userField": "engineer_user" },
              "title": "工单 {{ticket_no}}", "text": "{{customer_name}} 的 {{type}} 工单已派给您" }
            """, "service_request", Record("""{ "ticket_no": "SR-9", "customer_name": "王五", "type": "repair", "engineer_user": "eng07" }"""));
        Assert.Equal(["sup01", "eng07"], plan.Values["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(["supervisor", "customer_service"], plan.Values["roles"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal("工单 SR-9", plan.Values["title"]!.GetValue<string>());
        Assert.Equal("王五 的 repair 工单已派给您", plan.Values["text"]!.GetValue<string>());
        Assert.False(plan.Values.ContainsKey("addresses"));
    }

    [Fact]
    public void Plan_SkipsAnEmptyUserField_WhenListingRecipients()
    {
        var plan = Plan("""{ "type": "notify", "to": { "userField": "engineer_user" }, "text": "x" }""", "service_request", Record("""{ "engineer_user": null }"""));
        Assert.Empty(plan.Values["users"]!.AsArray());
    }

    [Fact]
    public void Plan_ListsTemplateNotifyRoles_AndRendersTitle_ForTheOverdueRule()
    {
        var record = Record("""{ "request_no": "RT-2026-0007", "customer_name": "赵六" }""");
        var plan = Engine.Plan(TemplateRule("cs_review_overdue").Actions[0], Context("return_request", record));
        Assert.Equal("supervisor", Assert.Single(plan.Values["roles"]!.AsArray())!.GetValue<string>());
        Assert.Equal("客服初审超时：RT-2026-0007", plan.Values["title"]!.GetValue<string>());
        Assert.Equal("退换货申请 RT-2026-0007（赵六）在客服初审已超过 4 小时未处理", plan.Values["text"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_EvaluatesSmsAddresses_FromAnExpressionGivingOneOrMany()
    {
        var record = Record("""{ "phone": "13800000000", "request_no": "RT-1" }""");
        var one = Plan("""{ "type": "sms", "to": { "address": "phone" }, "text": "申请 {{request_no}} 已受理" }""", "return_request", record);
        Assert.Equal(["13800000000"], one.Values["addresses"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("申请 RT-1 已受理", one.Values["text"]!.GetValue<string>());

        var many = Plan("""{ "type": "sms", "to": { "address": "[phone, '13900000000']" }, "text": "x" }""", "return_request", record);
        Assert.Equal(["13800000000", "13900000000"], many.Values["addresses"]!.AsArray().Select(a => a!.GetValue<string>()));

        var none = Plan("""{ "type": "sms", "to": { "address": "phone" }, "text": "x" }""", "return_request", Record("""{ "phone": null }"""));
        Assert.Empty(none.Values["addresses"]!.AsArray());
    }

    [Fact]
    public void Plan_LeavesEmailAddressToTheReferencedRecord_WhenViaIsGiven_ForTheTemplatesQcRule()
    {
        var record = new JsonObject { ["request_no"] = "RT-3", ["customer_name"] = "孙七", ["customer"] = OtherId.ToString(), ["amount"] = 199 };
        var rule = TemplateRule("qc_passed_notify");
        var e = StepEvent("step.completed", "return_request", "return_flow", "warehouse_qc") with { Record = record };

        var sms = Engine.Plan(rule.Actions[0], Context("return_request", record, e));
        Assert.Equal("sms", sms.Type);
        Assert.Equal("finance", Assert.Single(sms.Values["roles"]!.AsArray())!.GetValue<string>());
        Assert.Equal("退换货申请 RT-3 已通过仓库质检，请及时处理（金额 199 元）", sms.Values["text"]!.GetValue<string>());

        var email = Engine.Plan(rule.Actions[1], Context("return_request", record, e));
        Assert.Equal("email", email.Type);
        Assert.Equal("customer", email.Values["via"]!.GetValue<string>());
        Assert.Equal(OtherId.ToString(), email.Values["viaId"]!.GetValue<string>());
        Assert.Equal("email", email.Values["address"]!.GetValue<string>());
        Assert.False(email.Values.ContainsKey("addresses"));
        Assert.Equal("您的退换货申请 RT-3 已通过质检", email.Values["title"]!.GetValue<string>());
        Assert.StartsWith("孙七，您好", email.Values["text"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_RendersRobotTexts_AndKeepsProviderAndConnector()
    {
        var plan = Plan("""{ "type": "robot", "provider": "wecom", "connector": "ops_group", "title": "紧急工单 {{ticket_no}}", "text": "{{region}} 区 {{priority}}" }""",
            "service_request", Record("""{ "ticket_no": "SR-1", "region": "east", "priority": "urgent" }"""));
        Assert.Equal("wecom", plan.Values["provider"]!.GetValue<string>());
        Assert.Equal("ops_group", plan.Values["connector"]!.GetValue<string>());
        Assert.Null(plan.Values["url"]);
        Assert.Equal("紧急工单 SR-1", plan.Values["title"]!.GetValue<string>());
        Assert.Equal("east 区 urgent", plan.Values["text"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_SendsTheWholeRecordAsWebhookBody_WhenNoBodyIsGiven()
    {
        var record = Record("""{ "ticket_no": "SR-2", "priority": "high" }""");
        var plan = Plan("""{ "type": "webhook", "url": "https://erp.example.com/hooks/ticket" }""", "service_request", record, Event("record.created", "service_request", record));
        Assert.Equal("POST", plan.Values["method"]!.GetValue<string>());
        Assert.Equal("https://erp.example.com/hooks/ticket", plan.Values["url"]!.GetValue<string>());
        var body = plan.Values["body"]!.AsObject();
        Assert.Equal("record.created", body["event"]!.GetValue<string>());
        Assert.Equal("service_request", body["entity"]!.GetValue<string>());
        Assert.Equal(RecordId.ToString(), body["id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(record, body["data"]));
        Assert.NotSame(record, body["data"]);
    }

    [Fact]
    public void Plan_EvaluatesTheWebhookBody_WhenAnExpressionIsGiven()
    {
        var plan = Plan("""{ "type": "webhook", "connector": "erp", "url": "/tickets", "method": "PUT", "body": "({ no: ticket_no, urgent: priority == 'urgent', id: $id })" }""",
            "service_request", Record("""{ "ticket_no": "SR-3", "priority": "urgent" }"""));
        Assert.Equal("PUT", plan.Values["method"]!.GetValue<string>());
        Assert.Equal("erp", plan.Values["connector"]!.GetValue<string>());
        var body = plan.Values["body"]!.AsObject();
        Assert.Equal("SR-3", body["no"]!.GetValue<string>());
        Assert.True(body["urgent"]!.GetValue<bool>());
        Assert.Equal(RecordId.ToString(), body["id"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_DoesNotRunTheAction_WhenItsWhenIsFalse()
    {
        const string action = """{ "type": "set-fields", "when": "quantity > 100", "fields": { "status": "'approved'" } }""";
        var skipped = Plan(action, "return_request", Record("""{ "quantity": 3 }"""));
        Assert.False(skipped.Runs);
        Assert.Empty(skipped.Values);
        Assert.Contains("quantity > 100", skipped.Summary);

        var runs = Plan(action, "return_request", Record("""{ "quantity": 300 }"""));
        Assert.True(runs.Runs);
        Assert.Equal("approved", runs.Values["fields"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_SeesLastAsAnExtraVariable_InTheActionsWhen()
    {
        var action = Action("""{ "type": "notify", "when": "$last.new < 0", "to": { "roles": ["warehouse"] }, "text": "库存为负：{{$last.new}}" }""");
        var context = Context("spare_part", Record("{}"));
        var negative = WithLast(context, new JsonObject { ["old"] = 1, ["new"] = -2 });
        var plan = Engine.Plan(action, negative);
        Assert.True(plan.Runs);
        Assert.Equal("库存为负：-2", plan.Values["text"]!.GetValue<string>());
        Assert.False(Engine.Plan(action, WithLast(context, new JsonObject { ["old"] = 3, ["new"] = 2 })).Runs);
    }

    [Fact]
    public void Plan_Throws_WhenTheActionTypeIsUnknown() =>
        Assert.Throws<InvalidOperationException>(() => Plan("""{ "type": "teleport" }""", "return_request", Record("{}")));

    [Fact]
    public void Plan_ThrowsExpressionFault_WhenAValueExpressionFails() =>
        Assert.Throws<ExpressionFault>(() => Plan("""{ "type": "set-fields", "fields": { "status": "undefinedFn()" } }""", "return_request", Record("{}")));

    /// <summary>A copy of a context with <c>$last</c> set, as the runtime does between actions.</summary>
    private static Platform.Core.Rules.Actions.RuleActionContext WithLast(Platform.Core.Rules.Actions.RuleActionContext context, JsonNode last) => new()
    {
        App = context.App,
        Entity = context.Entity,
        Event = context.Event,
        Record = context.Record,
        Now = context.Now,
        Expressions = context.Expressions,
        Extra = new Dictionary<string, JsonNode?> { ["$last"] = last },
    };
}
