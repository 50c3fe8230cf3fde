using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Tests.Metadata;

/// <summary>Per-record public forms (<c>subjectField</c>) and <c>$formLinks.&lt;form&gt;</c> in rule texts: what the validator refuses, and how a text renders.</summary>
public sealed class FormLinkValidatorTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static AppDefinition Sample => SampleApp.Definition;

    private static int FormIndex(string key) => Sample.PublicForms.ToList().FindIndex(f => f.Key == key);

    private static AppDefinition WithForm(string key, Func<PublicFormDefinition, PublicFormDefinition> change) =>
        Sample with { PublicForms = Sample.PublicForms.Select(f => f.Key == key ? change(f) : f).ToList() };

    [Fact]
    public void Validate_ReportsNothing_ForTheTemplatesFeedbackForms() =>
        Assert.DoesNotContain(Validator.Validate(Sample), p => p.Path.Contains("subjectField", StringComparison.Ordinal) || p.Message.Contains(RuleVariables.FormLinks, StringComparison.Ordinal));

    [Theory]
    [InlineData("no_such_field")]
    [InlineData("rating")]
    public void Validate_ReportsTheSubjectField_WhenItIsNotAReferenceOfTheEntity(string field)
    {
        var problems = Validator.Validate(WithForm("service_feedback", f => f with { SubjectField = field }));
        Assert.Contains(problems, p => p.Path == $"$.publicForms[{FormIndex("service_feedback")}].subjectField");
    }

    [Fact]
    public void Validate_ReportsAnsweredBy_WhenUnknownOrOnAFormWithoutSubject()
    {
        var unknown = Assert.Single(Validator.Validate(WithForm("service_feedback", f => f with { AnsweredBy = "staff" })));
        Assert.Equal($"$.publicForms[{FormIndex("service_feedback")}].answeredBy", unknown.Path);
        var shared = Sample.PublicForms.First(f => f.SubjectField is null);
        var noSubject = Assert.Single(Validator.Validate(WithForm(shared.Key, f => f with { AnsweredBy = "form" })));
        Assert.Equal($"$.publicForms[{FormIndex(shared.Key)}].answeredBy", noSubject.Path);
    }

    [Fact]
    public void Validate_ReportsOfferWhen_WhenOnAFormWithoutSubject_OrNotCompiling_OrReadingAFieldTheSubjectLacks()
    {
        var path = $"$.publicForms[{FormIndex("service_feedback")}].offerWhen";
        Assert.NotNull(Sample.PublicForms.First(f => f.Key == "service_feedback").OfferWhen);
        Assert.Contains(Validator.Validate(WithForm("service_feedback", f => f with { OfferWhen = "status === " })), p => p.Path == path && p.Message.Contains("编译", StringComparison.Ordinal));
        // rating is a field of the feedback form's own entity, not of the service request the condition reads.
        Assert.Contains(Validator.Validate(WithForm("service_feedback", f => f with { OfferWhen = "rating > 3" })), p => p.Path == path && p.Message.Contains("rating", StringComparison.Ordinal));
        var shared = Sample.PublicForms.First(f => f.SubjectField is null);
        var noSubject = Assert.Single(Validator.Validate(WithForm(shared.Key, f => f with { OfferWhen = "true" })));
        Assert.Equal($"$.publicForms[{FormIndex(shared.Key)}].offerWhen", noSubject.Path);
        Assert.Contains("subjectField", noSubject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsTheSubjectField_WhenTheCustomerWouldAlsoFillIt()
    {
        var problems = Validator.Validate(WithForm("service_feedback", f => f with { Fields = [.. f.Fields, "service_request"] }));
        Assert.Contains(problems, p => p.Path == $"$.publicForms[{FormIndex("service_feedback")}].subjectField" && p.Message.Contains("fields", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsTheRuleText_WhenItNamesAFormThatIsNotPerRecord_OrAboutAnotherEntity()
    {
        var index = Sample.Rules.ToList().FindIndex(r => r.Key == "service_feedback_request");
        var rule = Sample.Rules[index];
        var wrong = rule with
        {
            Actions = [rule.Actions[0] with { Text = "{{$formLinks.repair_form}}" }, rule.Actions[1] with { Text = "{{$formLinks['return_feedback']}}" }],
        };
        var problems = Validator.Validate(Sample with { Rules = Sample.Rules.Select(r => r.Key == rule.Key ? wrong : r).ToList() });
        Assert.Contains(problems, p => p.Path == $"$.rules[{index}].actions[0].text" && p.Message.Contains("repair_form", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == $"$.rules[{index}].actions[1].text" && p.Message.Contains("return_request", StringComparison.Ordinal));
    }

    [Fact]
    public void FormLinkKeys_FindsEachNamedFormOnce_InBothNotations() =>
        Assert.Equal(["a_form", "b"], RuleVariables.FormLinkKeys("{{$formLinks.a_form}} {{ $formLinks[\"b\"] }} {{$formLinks.a_form}} {{$formLinksX}}"));

    [Fact]
    public void Render_PutsTheLinkInTheText_AndNothingWithoutIt()
    {
        var engine = new JintExpressionEngine();
        var entity = Sample.FindEntity("service_request")!;
        var e = new RuleEvent { Type = RuleTriggerTypes.RecordUpdated, App = Sample.Key, Entity = entity.Key, Record = new JsonObject { ["ticket_no"] = "SR1" } };
        var with = RuleEngine.Scope(entity, e, e.Record, DateTimeOffset.UtcNow, new Dictionary<string, JsonNode?> { [RuleVariables.FormLinks] = new JsonObject { ["service_feedback"] = "https://x/f/abc" } });
        Assert.Equal("SR1：https://x/f/abc", RuleText.Render("{{ticket_no}}：{{$formLinks.service_feedback}}", engine, with));
        Assert.Equal("SR1：", RuleText.Render("{{ticket_no}}：{{$formLinks.service_feedback}}", engine, RuleEngine.Scope(entity, e, e.Record, DateTimeOffset.UtcNow)));
    }
}
