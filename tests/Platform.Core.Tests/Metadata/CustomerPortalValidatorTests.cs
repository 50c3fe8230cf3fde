using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Tests.Metadata;

/// <summary>The customer portal's metadata: what the validator refuses (each at its path), how tracked entities resolve, and <c>$trackingLink</c> in rule texts.</summary>
public sealed class CustomerPortalValidatorTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static AppDefinition Sample => SampleApp.Definition;

    private static CustomerPortalDefinition Portal => Sample.CustomerPortal!;

    private static AppDefinition WithPortal(params CustomerTrackedEntity[] entities) => Sample with { CustomerPortal = Portal with { Entities = entities } };

    [Fact]
    public void Resolve_GivesNumberPhoneTypeStatusAndFields_ForTheTemplatesEntities()
    {
        var plans = Portal.Resolve(Sample);
        Assert.Equal(["return_request", "service_request"], plans.Select(p => p.Entity.Key));
        var returns = plans[0];
        Assert.Equal(("request_no", "phone", "kind", "status"), (returns.Number.Key, returns.Phone.Key, returns.Type!.Key, returns.Status!.Key));
        Assert.DoesNotContain(returns.Fields, f => f.Type is "reference" or "image" or "video" or "user");
    }

    [Fact]
    public void Resolve_FallsBackToThePublicFormsTrackingAndPhoneFields_WhenTheEntryNamesNone()
    {
        var plan = Assert.Single(WithPortal(new CustomerTrackedEntity { Entity = "service_request" }).CustomerPortal!.Resolve(Sample with { CustomerPortal = null }));
        Assert.Equal(("ticket_no", "phone"), (plan.Number.Key, plan.Phone.Key));
        Assert.Empty(Validator.Validate(WithPortal(new CustomerTrackedEntity { Entity = "service_request" }) with { Rules = Sample.Rules.Where(r => r.Entity != "return_request").ToList() }));
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtItsPath_WhenTheEntriesAreWrong()
    {
        var app = WithPortal(
            new CustomerTrackedEntity { Entity = "return_request", NumberField = "quantity", PhoneField = "missing", TypeField = "customer_name", Fields = ["customer", "images", "reason", "reason"] },
            new CustomerTrackedEntity { Entity = "service_request" },
            new CustomerTrackedEntity { Entity = "service_request" },
            new CustomerTrackedEntity { Entity = "spare_part" },
            new CustomerTrackedEntity { Entity = "ghost" });
        app = app with { CustomerPortal = app.CustomerPortal! with { CodeText = "没有验证码占位符" } };
        var problems = Validator.Validate(app).Select(p => p.Path).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "$.customerPortal.codeText",
            "$.customerPortal.entities[0].numberField",
            "$.customerPortal.entities[0].phoneField",
            "$.customerPortal.entities[0].typeField",
            "$.customerPortal.entities[0].fields[0]",
            "$.customerPortal.entities[0].fields[1]",
            "$.customerPortal.entities[0].fields[3]",
            "$.customerPortal.entities[2].entity",
            "$.customerPortal.entities[3].numberField",
            "$.customerPortal.entities[3].phoneField",
            "$.customerPortal.entities[4].entity",
        }, problems);
        Assert.DoesNotContain("$.customerPortal.entities[0].fields[2]", problems);
        Assert.DoesNotContain("$.customerPortal.entities[1].entity", problems);
    }

    [Fact]
    public void Validate_ReportsTheRuleText_WhenItUsesTheTrackingLinkOfAnEntityThePortalDoesNotTrack()
    {
        var problems = Validator.Validate(Sample with { CustomerPortal = null });
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains(RuleVariables.TrackingLink, p.Message));
        var index = Sample.Rules.ToList().FindIndex(r => r.Key == "service_status_notify");
        Assert.Contains(problems, p => p.Path == $"$.rules[{index}].actions[0].text");
    }

    [Fact]
    public void Validate_NamesThePathAndTheField_WhenTheSummaryFieldDoesNotExist()
    {
        var app = WithPortal(Portal.Entities[0] with { SummaryField = "produkt" }, Portal.Entities[1]);

        var problem = Assert.Single(Validator.Validate(app), p => p.Path.Contains("summaryField", StringComparison.Ordinal));

        Assert.Equal("$.customerPortal.entities[0].summaryField", problem.Path);
        Assert.Contains("produkt", problem.Message, StringComparison.Ordinal);
        Assert.Contains("没有字段", problem.Message, StringComparison.Ordinal);
        Assert.Contains("has no field", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesTheSummaryField_WhenItsTypeIsNotShownToCustomers()
    {
        var app = WithPortal(Portal.Entities[0] with { SummaryField = "images" }, Portal.Entities[1]);

        var problem = Assert.Single(Validator.Validate(app), p => p.Path == "$.customerPortal.entities[0].summaryField");

        Assert.Contains("image", problem.Message, StringComparison.Ordinal);
        Assert.Contains("摘要字段", problem.Message, StringComparison.Ordinal);
        Assert.Contains("summary field", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("product")]
    [InlineData("customer_name")]
    [InlineData("order_no")]
    public void Validate_AcceptsTheSummaryField_WhenItIsAReferenceALookupOrAPlainField(string field)
    {
        var app = WithPortal(Portal.Entities[0], Portal.Entities[1] with { SummaryField = field });

        Assert.DoesNotContain(Validator.Validate(app), p => p.Path.Contains("summaryField", StringComparison.Ordinal));
        Assert.Equal(field, app.CustomerPortal!.Resolve(app)[1].Summary!.Key);
    }

    [Fact]
    public void Validate_WritesEveryPortalProblemInChineseThenEnglish_WhenTheEntriesAreWrong()
    {
        var app = WithPortal(new CustomerTrackedEntity { Entity = "return_request", NumberField = "quantity", PhoneField = "missing", SummaryField = "ghost", Fields = ["customer", "reason", "reason"] });
        var problems = Validator.Validate(app with { CustomerPortal = app.CustomerPortal! with { CodeText = "没有验证码占位符" } })
            .Where(p => p.Path.StartsWith("$.customerPortal", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Matches(@"^\P{IsBasicLatin}.* / [A-Za-z$]", p.Message));
    }

    [Fact]
    public void Validate_ReportsNoEntities_WhenAnEnabledPortalTracksNothing() =>
        Assert.Contains(Validator.Validate(WithPortal() with { Rules = [] }), p => p.Path == "$.customerPortal.entities");

    [Fact]
    public void Render_PutsTheRuntimesLinkInTheText_AndNothingWithoutIt()
    {
        var engine = new JintExpressionEngine();
        var entity = Sample.FindEntity("return_request")!;
        var record = new JsonObject { ["request_no"] = "RT202601010001", ["status"] = "approved" };
        var e = new RuleEvent { Type = RuleTriggerTypes.RecordUpdated, App = Sample.Key, Entity = entity.Key, Record = record };
        var rule = Sample.FindRule("return_status_notify")!;
        var text = rule.Actions[0].Text!;
        var extra = new Dictionary<string, JsonNode?> { [RuleVariables.TrackingLink] = "https://svc.example.cn/t/abc" };
        Assert.Equal("您的退换货申请 RT202601010001 状态更新为「已通过」，查看进度：https://svc.example.cn/t/abc",
            RuleText.Render(text, engine, RuleEngine.Scope(entity, e, record, DateTimeOffset.UtcNow, extra)));
        Assert.EndsWith("查看进度：", RuleText.Render(text, engine, RuleEngine.Scope(entity, e, record, DateTimeOffset.UtcNow)), StringComparison.Ordinal);
    }
}
