using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Metadata;

public sealed class DefinitionValidatorTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static AppDefinition App(params EntityDefinition[] entities) => new() { Key = "demo", Name = "演示", Entities = entities };

    private static EntityDefinition Entity(string key, params FieldDefinition[] fields) => new() { Key = key, Label = key, Fields = fields };

    private static FieldDefinition Field(string key, string type = "text") => new() { Key = key, Type = type };

    [Fact]
    public void Validate_ReportsNothing_ForTheAfterSalesTemplate() =>
        Assert.Empty(Validator.Validate(SampleApp.Definition));

    [Fact]
    public void Validate_ReportsNothing_ForTheAfterSalesTemplateWithItsRules()
    {
        Assert.Contains(SampleApp.Definition.Rules, r => r.Key == "auto_dispatch");
        Assert.Empty(Validator.Validate(SampleApp.Definition));
    }

    [Fact]
    public void Validate_ReportsRuleProblems_AtTheirPathBelowRules()
    {
        var rules = SampleApp.Definition.Rules.ToList();
        rules[2] = rules[2] with { Actions = [new Platform.Core.Rules.Definitions.RuleActionDefinition { Type = "teleport" }] };
        var problem = Assert.Single(Validator.Validate(SampleApp.Definition with { Rules = rules }));
        Assert.Equal("$.rules[2].actions[0].type", problem.Path);
        Assert.Contains("teleport", problem.Message);
    }

    [Fact]
    public void Validate_ReportsPaths_ForDuplicateAndInvalidKeys()
    {
        var problems = Validator.Validate(App(Entity("order", Field("no"), Field("no"), Field("Bad-Key")), Entity("order", Field("x"))));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[1].key" && p.Message.Contains("重复"));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[2].key");
        Assert.Contains(problems, p => p.Path == "$.entities[1].key");
    }

    [Fact]
    public void Validate_ReportsNothing_WhenAnIntegerRatingHasMinAndMaxUpToTen() =>
        Assert.Empty(Validator.Validate(App(Entity("feedback", Field("rating", "integer") with { Display = "rating", Min = 1, Max = 10 }))));

    [Theory]
    [InlineData(null, 5, "min")]
    [InlineData(1, null, "max")]
    [InlineData(1, 11, "max")]
    [InlineData(-1, 5, "min")]
    public void Validate_ReportsTheBound_WhenAnIntegerRatingLacksOrExceedsIt(int? min, int? max, string path)
    {
        var problem = Assert.Single(Validator.Validate(App(Entity("feedback", Field("rating", "integer") with { Display = "rating", Min = min, Max = max }))));
        Assert.Equal($"$.entities[0].fields[0].{path}", problem.Path);
        Assert.Contains("评分", problem.Message);
    }

    [Theory]
    [InlineData("number", "rating")]
    [InlineData("text", "rating")]
    [InlineData("integer", "slider")]
    public void Validate_ReportsTheDisplay_WhenTheTypeDoesNotOfferIt(string type, string display)
    {
        var problem = Assert.Single(Validator.Validate(App(Entity("feedback", Field("score", type) with { Display = display, Min = 1, Max = 5 }))));
        Assert.Equal("$.entities[0].fields[0].display", problem.Path);
    }

    [Fact]
    public void Validate_ReportsUnknownFieldType_WithoutThrowing()
    {
        var problem = Assert.Single(Validator.Validate(App(Entity("order", Field("no", "hologram")))));
        Assert.Equal("$.entities[0].fields[0].type", problem.Path);
        Assert.Contains("hologram", problem.Message);
    }

    [Fact]
    public void Validate_ReportsMissingEntitiesAndFields_InReferencesAndLookups()
    {
        var problems = Validator.Validate(App(Entity("ticket",
            Field("no"),
            Field("customer", "reference") with { Reference = new ReferenceSettings("customer") },
            Field("order", "lookup") with { Lookup = new LookupSettings { Entity = "ticket", MatchField = "nope", Fill = new Dictionary<string, string> { ["missing"] = "no" } } })));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[1].reference.entity");
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[2].lookup.matchField");
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[2].lookup.fill.missing");
    }

    [Fact]
    public void Validate_ReportsExpressionsThatDoNotCompile_OrReadUnknownFields()
    {
        var problems = Validator.Validate(App(Entity("ticket",
            Field("a", "integer") with { VisibleWhen = "b ===" },
            Field("c", "integer") with { RequiredWhen = "ghost > 1" })));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[0].visibleWhen" && p.Message.Contains("编译"));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[1].requiredWhen" && p.Message.Contains("ghost"));
    }

    [Fact]
    public void Validate_ReportsFormulaCycles()
    {
        var problems = Validator.Validate(App(Entity("calc",
            Field("a", "formula") with { Formula = "b + 1" },
            Field("b", "formula") with { Formula = "c * 2" },
            Field("c", "formula") with { Formula = "a - 1" },
            Field("d", "formula") with { Formula = "1" })));
        var cycle = Assert.Single(problems);
        Assert.EndsWith(".formula", cycle.Path);
        Assert.Contains("→", cycle.Message);
    }

    [Fact]
    public void Validate_ReportsLayoutAndPublicFormFields_ThatDoNotExist()
    {
        var app = App(Entity("ticket", Field("no")) with
        {
            Form = new FormLayout { Sections = [new FormSection { Key = "main", Fields = ["no", "ghost"] }] },
        }) with
        {
            PublicForms = [new PublicFormDefinition { Key = "f", Entity = "ticket", Title = "t", Fields = ["no", "phantom"], TrackingField = "nope" }],
        };
        var problems = Validator.Validate(app);
        Assert.Contains(problems, p => p.Path == "$.entities[0].form.sections[0].fields[1]");
        Assert.Contains(problems, p => p.Path == "$.publicForms[0].fields[1]");
        Assert.Contains(problems, p => p.Path == "$.publicForms[0].trackingField");
    }

    [Fact]
    public void Validate_ReportsTypeSettings_SelectWithoutOptionsAndBadAutoNumber()
    {
        var problems = Validator.Validate(App(Entity("ticket", Field("s", "select"), Field("n", "auto-number") with { AutoNumber = "X{seq:99}" })));
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[0].options");
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[1].autoNumber");
    }
}
