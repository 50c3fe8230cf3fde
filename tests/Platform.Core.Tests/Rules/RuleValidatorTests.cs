using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using static Platform.Core.Tests.Rules.RuleTestKit;

namespace Platform.Core.Tests.Rules;

public sealed class RuleValidatorTests
{
    private static IReadOnlyList<DefinitionProblem> Validate(params RuleDefinition[] rules) => Validator.Validate(App, rules);

    /// <summary>The template's rules with the one at <paramref name="key"/> replaced, so the problem's index is real.</summary>
    private static (IReadOnlyList<DefinitionProblem> Problems, int Index) ValidateTemplateWith(string key, Func<RuleDefinition, RuleDefinition> change)
    {
        var rules = TemplateRules.ToList();
        var index = rules.FindIndex(r => r.Key == key);
        rules[index] = change(rules[index]);
        return (Validator.Validate(App, rules), index);
    }

    private static DefinitionProblem Single(string key, Func<RuleDefinition, RuleDefinition> change, string at)
    {
        var (problems, index) = ValidateTemplateWith(key, change);
        var problem = Assert.Single(problems);
        Assert.Equal($"$.rules[{index}].{at}", problem.Path);
        return problem;
    }

    private static RuleDefinition Notify(string key = "r") => Rule($$$"""
        { "key": "{{{key}}}", "name": "提醒", "entity": "return_request", "trigger": { "type": "record.created" },
          "actions": [ { "type": "notify", "to": { "roles": ["supervisor"] }, "text": "新申请 {{request_no}}" } ] }
        """);

    private static RuleDefinition WithAction(string actionJson, string entity = "return_request", string trigger = """{ "type": "record.updated" }""") => Rule($$"""
        { "key": "r", "name": "规则", "entity": "{{entity}}", "trigger": {{trigger}}, "actions": [ {{actionJson}} ] }
        """);

    private static DefinitionProblem SingleFor(RuleDefinition rule, string at)
    {
        var problem = Assert.Single(Validate(rule));
        Assert.Equal($"$.rules[0].{at}", problem.Path);
        return problem;
    }

    [Fact]
    public void Validate_ReportsNothing_ForTheTemplatesRules()
    {
        Assert.Equal(14, TemplateRules.Count);
        Assert.Empty(Validator.Validate(App, TemplateRules));
    }

    [Fact]
    public void Validate_ReportsNothing_ForAValidRuleOfEveryTriggerType()
    {
        Assert.Empty(Validate(
            Notify("created"),
            Notify("updated") with { Trigger = new RuleTrigger { Type = "record.updated" } },
            Notify("deleted") with { Trigger = new RuleTrigger { Type = "record.deleted" } },
            Notify("changed") with { Trigger = new RuleTrigger { Type = "field.changed", Field = "status", To = "approved" }, Condition = "$old != null && $old.status != status" },
            Notify("entered") with { Trigger = new RuleTrigger { Type = "step.entered" } },
            Notify("overdue") with { Trigger = new RuleTrigger { Type = "task.overdue", Step = "cs_review", After = new RuleDelay { Days = 1 } } },
            Rule("""{ "key": "daily", "name": "日报", "trigger": { "type": "schedule", "cron": "0 9 * * 1-5", "timeZone": "UTC" }, "actions": [ { "type": "notify", "to": { "roles": ["supervisor"] }, "text": "早安" } ] }"""),
            Rule("""{ "key": "erp", "name": "ERP", "trigger": { "type": "webhook", "hook": "erp_order" }, "actions": [ { "type": "webhook", "url": "https://erp.example.com/ack", "body": "$payload" } ] }""")));
    }

    [Fact]
    public void Validate_ReportsUnknownTriggerType_AtTheTriggerTypePath()
    {
        var problem = Single("deduct_stock", r => r with { Trigger = new RuleTrigger { Type = "record.teleported" } }, "trigger.type");
        Assert.Contains("record.teleported", problem.Message);
        Assert.Contains("field.changed", problem.Message);
    }

    [Fact]
    public void Validate_ReportsUnknownActionType_AtTheActionsTypePath_WithoutThrowing()
    {
        var problem = Single("qc_passed_notify", r => r with { Actions = [r.Actions[0], new RuleActionDefinition { Type = "teleport" }, r.Actions[1]] }, "actions[1].type");
        Assert.Contains("teleport", problem.Message);
        Assert.Contains("set-fields", problem.Message);
        Assert.Contains("webhook", problem.Message);
    }

    [Fact]
    public void Validate_ReportsMissingEntity_WhenTheEntityDoesNotExist()
    {
        var problem = Single("deduct_stock", r => r with { Entity = "warranty_card" }, "entity");
        Assert.Contains("warranty_card", problem.Message);
    }

    [Fact]
    public void Validate_ReportsMissingEntity_WhenARecordTriggerHasNone() =>
        SingleFor(Notify() with { Entity = null }, "entity");

    [Fact]
    public void Validate_ReportsFieldChangedOnAMissingField_AtTheTriggerFieldPath()
    {
        var problem = Single("low_stock_purchase", r => r with { Trigger = r.Trigger with { Field = "stock_level" } }, "trigger.field");
        Assert.Contains("stock_level", problem.Message);
        SingleFor(Notify() with { Trigger = new RuleTrigger { Type = "field.changed" } }, "trigger.field");
    }

    [Fact]
    public void Validate_ReportsAStepTriggerNamingAMissingStep_AtTheTriggerStepPath()
    {
        var (problems, index) = ValidateTemplateWith("auto_approve_no_reason", r => r with { Trigger = r.Trigger with { Step = "ceo_review" } });
        var problem = Assert.Single(problems, p => p.Path == $"$.rules[{index}].trigger.step");
        Assert.Contains("ceo_review", problem.Message);
    }

    [Fact]
    public void Validate_ReportsAStepTriggerNamingAMissingFlow_AtTheTriggerFlowPath()
    {
        var problem = Single("qc_passed_notify", r => r with { Trigger = r.Trigger with { Flow = "refund_flow" } }, "trigger.flow");
        Assert.Contains("refund_flow", problem.Message);
        // A flow of another entity does not count.
        Single("qc_passed_notify", r => r with { Trigger = r.Trigger with { Flow = "service_flow" } }, "trigger.flow");
    }

    [Fact]
    public void Validate_ReportsTaskOverdueWithoutAfter_AtTheTriggerAfterPath()
    {
        Single("cs_review_overdue", r => r with { Trigger = r.Trigger with { After = null } }, "trigger.after");
        Single("cs_review_overdue", r => r with { Trigger = r.Trigger with { After = new RuleDelay() } }, "trigger.after");
    }

    [Fact]
    public void Validate_ReportsTaskOverdueWithoutStep_AtTheTriggerStepPath() =>
        Single("accept_overdue", r => r with { Trigger = r.Trigger with { Step = null } }, "trigger.step");

    [Theory]
    [InlineData("0 9 * *")]
    [InlineData("0 25 * * *")]
    [InlineData(null)]
    public void Validate_ReportsABadCron_AtTheTriggerCronPath(string? cron)
    {
        var rule = Rule("""{ "key": "daily", "name": "日报", "trigger": { "type": "schedule" }, "actions": [ { "type": "notify", "to": { "roles": ["supervisor"] }, "text": "早安" } ] }""");
        SingleFor(rule with { Trigger = rule.Trigger with { Cron = cron } }, "trigger.cron");
    }

    [Fact]
    public void Validate_ReportsAnUnknownTimeZone_AtTheTriggerTimeZonePath() =>
        SingleFor(Rule("""{ "key": "daily", "name": "日报", "trigger": { "type": "schedule", "cron": "0 9 * * *", "timeZone": "Mars/Olympus" }, "actions": [ { "type": "notify", "to": { "roles": ["x"] }, "text": "早安" } ] }"""),
            "trigger.timeZone");

    [Fact]
    public void Validate_ReportsAWebhookTriggerWithoutHook_AtTheTriggerHookPath() =>
        SingleFor(Rule("""{ "key": "erp", "name": "ERP", "trigger": { "type": "webhook" }, "actions": [ { "type": "webhook", "url": "https://erp.example.com/ack" } ] }"""), "trigger.hook");

    [Fact]
    public void Validate_ReportsAConditionThatDoesNotCompile_AtTheConditionPath()
    {
        var problem = Single("stamp_accepted_at", r => r with { Condition = "engineer !=" }, "condition");
        Assert.Contains("无法编译", problem.Message);
    }

    [Fact]
    public void Validate_ReportsAConditionReadingAnUnknownField_AtTheConditionPath()
    {
        var problem = Single("stamp_accepted_at", r => r with { Condition = "engineer != null && technician == null" }, "condition");
        Assert.Contains("technician", problem.Message);
        Assert.DoesNotContain("engineer,", problem.Message);
    }

    [Fact]
    public void Validate_ReportsABuiltConditionOnAnUnknownField_AtItsPathBelowWhen()
    {
        var problem = Single("auto_approve_no_reason",
            r => r with { When = r.When! with { All = [.. r.When.All!, new ConditionNode { Field = "colour", Op = "eq", Value = "red" }] } }, "when.all[2].field");
        Assert.Contains("colour", problem.Message);
    }

    [Fact]
    public void Validate_ReportsABuiltConditionWithAnUnknownOperator_AtItsOpPath() =>
        Single("auto_approve_no_reason", r => r with { When = new ConditionNode { Field = "reason", Op = "like", Value = "no" } }, "when.op");

    [Fact]
    public void Validate_ReportsABuiltValueExpressionReadingAnUnknownField_AtTheWhenPath() =>
        Single("auto_approve_no_reason", r => r with { When = new ConditionNode { Field = "quantity", Op = "gt", ValueExpression = "max_qty" } }, "when");

    [Fact]
    public void Validate_ReportsSetFieldsOnAMissingField_AtTheFieldsKeyPath()
    {
        var problem = SingleFor(WithAction("""{ "type": "set-fields", "fields": { "status": "'approved'", "colour": "'red'" } }"""), "actions[0].fields.colour");
        Assert.Contains("colour", problem.Message);
        SingleFor(WithAction("""{ "type": "set-fields", "fields": { "status": "ghost" } }"""), "actions[0].fields.status");
        SingleFor(WithAction("""{ "type": "set-fields" }"""), "actions[0].fields");
    }

    [Fact]
    public void Validate_ReportsAdjustOnANonNumericField_AtTheFieldPath()
    {
        var problem = Single("deduct_stock", r => r with { Actions = [r.Actions[0] with { Field = "name" }] }, "actions[0].field");
        Assert.Contains("name", problem.Message);
        Assert.Contains("text", problem.Message);
        Single("deduct_stock", r => r with { Actions = [r.Actions[0] with { Field = "weight" }] }, "actions[0].field");
    }

    [Fact]
    public void Validate_ReportsAnAdjustTargetThatIsNotAReference_AtTheTargetPath()
    {
        var problem = Single("deduct_stock", r => r with { Actions = [r.Actions[0] with { Target = "quantity" }] }, "actions[0].target");
        Assert.Contains("quantity", problem.Message);
        Single("deduct_stock", r => r with { Actions = [r.Actions[0] with { Target = "warehouse" }] }, "actions[0].target");
    }

    [Fact]
    public void Validate_ReportsAnAdjustDeltaReadingAnUnknownField_AtTheDeltaPath() =>
        Single("deduct_stock", r => r with { Actions = [r.Actions[0] with { Delta = "-qty" }] }, "actions[0].delta");

    [Fact]
    public void Validate_ReportsDuplicateRuleKeys_AtTheSecondRulesKeyPath()
    {
        var problems = Validator.Validate(App, [.. TemplateRules, TemplateRules[0]]);
        var problem = Assert.Single(problems);
        Assert.Equal($"$.rules[{TemplateRules.Count}].key", problem.Path);
        Assert.Contains("重复", problem.Message);
    }

    [Theory]
    [InlineData("Auto-Dispatch")]
    [InlineData("1st_rule")]
    [InlineData("auto dispatch")]
    [InlineData("")]
    [InlineData("_private")]
    public void Validate_ReportsAnInvalidKey_AtTheKeyPath(string key)
    {
        var problem = SingleFor(Notify() with { Key = key }, "key");
        Assert.Contains("snake_case", problem.Message);
    }

    [Fact]
    public void Validate_ReportsAnEmptyNameAndNoActions_AtTheirPaths()
    {
        var problems = Validate(Notify() with { Name = " ", Actions = [] });
        Assert.Equal(["$.rules[0].name", "$.rules[0].actions"], problems.Select(p => p.Path));
    }

    [Fact]
    public void Validate_ReportsAnActionWhenReadingAnUnknownField_AtTheActionWhenPath() =>
        SingleFor(WithAction("""{ "type": "notify", "when": "vip == true", "to": { "roles": ["x"] }, "text": "x" }"""), "actions[0].when");

    [Theory]
    [InlineData("""{ "type": "notify", "text": "x" }""", "actions[0].to")]
    [InlineData("""{ "type": "notify", "to": { "address": "phone" }, "text": "x" }""", "actions[0].to.address")]
    [InlineData("""{ "type": "notify", "to": { "userField": "customer_name" }, "text": "x" }""", "actions[0].to.userField")]
    [InlineData("""{ "type": "notify", "to": { "roles": ["x"] }, "text": "申请 {{ticket_no}}" }""", "actions[0].text")]
    [InlineData("""{ "type": "notify", "to": { "roles": ["x"] }, "title": "{{ 1 + }}", "text": "x" }""", "actions[0].title")]
    [InlineData("""{ "type": "notify", "to": { "roles": ["x"] } }""", "actions[0].text")]
    [InlineData("""{ "type": "sms", "to": { "address": "mobile" }, "text": "x" }""", "actions[0].to.address")]
    [InlineData("""{ "type": "email", "to": { "via": "customer_name", "address": "email" }, "text": "x" }""", "actions[0].to.via")]
    [InlineData("""{ "type": "email", "to": { "via": "customer", "address": "mail" }, "text": "x" }""", "actions[0].to.address")]
    [InlineData("""{ "type": "robot", "provider": "slack", "connector": "ops", "text": "x" }""", "actions[0].provider")]
    [InlineData("""{ "type": "robot", "provider": "wecom", "url": "not a url", "text": "x" }""", "actions[0].url")]
    [InlineData("""{ "type": "robot", "provider": "feishu", "connector": "ops" }""", "actions[0].text")]
    [InlineData("""{ "type": "robot", "provider": "wecom", "url": "/cgi-bin/webhook/send", "text": "x" }""", "actions[0].url")]
    [InlineData("""{ "type": "webhook", "url": "/relative" }""", "actions[0].url")]
    [InlineData("""{ "type": "webhook", "url": "file:///etc/passwd" }""", "actions[0].url")]
    [InlineData("""{ "type": "webhook", "url": "ftp://erp.example.com/in" }""", "actions[0].url")]
    [InlineData("""{ "type": "webhook", "connector": "erp", "method": "TRACE" }""", "actions[0].method")]
    [InlineData("""{ "type": "webhook", "connector": "erp", "body": "({ x: ghost })" }""", "actions[0].body")]
    [InlineData("""{ "type": "create-record", "entity": "warranty_card", "fields": {} }""", "actions[0].entity")]
    [InlineData("""{ "type": "create-record", "entity": "purchase_request", "fields": { "qty": "1" } }""", "actions[0].fields.qty")]
    [InlineData("""{ "type": "update-records", "entity": "engineer", "fields": { "active": "false" } }""", "actions[0].where")]
    [InlineData("""{ "type": "update-records", "entity": "engineer", "where": [ { "field": "zone", "value": "1" } ], "fields": { "active": "false" } }""", "actions[0].where[0].field")]
    [InlineData("""{ "type": "update-records", "entity": "engineer", "where": [ { "field": "name", "op": "like", "value": "'x'" } ], "fields": { "active": "false" } }""", "actions[0].where[0].op")]
    [InlineData("""{ "type": "update-records", "entity": "engineer", "where": [ { "field": "name", "value": "'x'" } ], "fields": { "active": "false" }, "limit": 0 }""", "actions[0].limit")]
    [InlineData("""{ "type": "update-records", "entity": "engineer", "where": [ { "field": "name", "value": "'x'" } ], "fields": { "active": "ghost" } }""", "actions[0].fields.active")]
    [InlineData("""{ "type": "flow-approve", "comment": "x" }""", "actions[0].step")]
    [InlineData("""{ "type": "flow-reject", "step": "ceo_review" }""", "actions[0].step")]
    [InlineData("""{ "type": "flow-approve", "step": "cs_review", "comment": "{{ ghost }}" }""", "actions[0].comment")]
    public void Validate_ReportsABadActionSetting_AtItsPathBelowTheAction(string action, string at) =>
        SingleFor(WithAction(action), at);

    [Theory]
    [InlineData("""{ "type": "assign", "entity": "technician", "fields": { "engineer": "$candidate.id" } }""", "actions[0].entity")]
    [InlineData("""{ "type": "assign", "entity": "engineer" }""", "actions[0].fields")]
    [InlineData("""{ "type": "assign", "entity": "engineer", "fields": { "tech": "$candidate.id" } }""", "actions[0].fields.tech")]
    [InlineData("""{ "type": "assign", "entity": "engineer", "fields": { "engineer": "$candidate.id" }, "orderBy": [ { "field": "rating" } ] }""", "actions[0].orderBy[0].field")]
    [InlineData("""{ "type": "assign", "entity": "engineer", "fields": { "engineer": "$candidate.id" }, "where": [ { "field": "region", "value": "area" } ] }""", "actions[0].where[0].value")]
    [InlineData("""{ "type": "assign", "entity": "engineer", "fields": { "engineer": "$candidate.id" }, "step": "cs_review" }""", "actions[0].step")]
    [InlineData("""{ "type": "adjust", "target": "product", "field": "warranty_months", "delta": "1 +" }""", "actions[0].delta")]
    [InlineData("""{ "type": "adjust", "target": "engineer", "field": "open_jobs", "delta": "1" }""", "actions[0].field")]
    public void Validate_ReportsABadServiceRequestActionSetting_AtItsPathBelowTheAction(string action, string at) =>
        SingleFor(WithAction(action, "service_request"), at);

    [Theory]
    [InlineData("""{ "type": "flow-approve", "target": "rating", "step": "follow_up" }""", "actions[0].target")]
    [InlineData("""{ "type": "flow-approve", "target": "service_request", "step": "cs_review" }""", "actions[0].step")]
    [InlineData("""{ "type": "flow-approve", "target": "service_request" }""", "actions[0].step")]
    [InlineData("""{ "type": "flow-approve", "target": "service_request", "step": "follow_up", "fields": { "ghost": "1" } }""", "actions[0].fields.ghost")]
    [InlineData("""{ "type": "flow-approve", "target": "service_request", "step": "follow_up", "fields": { "status": "'closed'" } }""", "actions[0].fields.status")]
    [InlineData("""{ "type": "flow-reject", "target": "service_request", "step": "follow_up", "fields": { "csat": "stars" } }""", "actions[0].fields.csat")]
    public void Validate_ReportsABadTargetedFlowAction_AtItsPathBelowTheAction(string action, string at) =>
        SingleFor(WithAction(action, "feedback", """{ "type": "record.created" }"""), at);

    [Fact]
    public void Validate_AcceptsAFlowApproveOfTheReferencedRecord_WithFieldsEditableAtTheStep() =>
        Assert.Empty(Validate(WithAction(
            """{ "type": "flow-approve", "target": "service_request", "step": "follow_up", "fields": { "csat": "rating", "first_time_fix": "first_time_fix == true" }, "comment": "{{rating}} 分" }""",
            "feedback", """{ "type": "record.created" }""")));

    [Fact]
    public void Validate_AcceptsAFlowApproveWithoutStep_WhenTheTriggerNamesTheStep() =>
        Assert.Empty(Validate(WithAction("""{ "type": "flow-approve", "comment": "自动通过 {{request_no}}" }""", trigger: """{ "type": "step.entered", "flow": "return_flow", "step": "cs_review" }""")));

    [Fact]
    public void Validate_ReportsEveryProblemOfEveryRule_WithTheRightIndex()
    {
        var problems = Validate(Notify("ok"), Notify("bad") with { Entity = "warranty_card" }, Notify("ok") with { Condition = "ghost" });
        Assert.Equal(["$.rules[1].entity", "$.rules[2].key", "$.rules[2].condition"], problems.Select(p => p.Path));
    }
}
