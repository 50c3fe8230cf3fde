using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Metadata;

public sealed class AggregateFieldValidationTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static FieldDefinition Aggregate(AggregateSettings settings) => new() { Key = "open_jobs", Type = "aggregate", Aggregate = settings };

    private static AppDefinition App(FieldDefinition aggregate, params FieldDefinition[] ticketFields) => new()
    {
        Key = "demo",
        Name = "演示",
        Entities =
        [
            new EntityDefinition { Key = "engineer", Label = "工程师", Fields = [new FieldDefinition { Key = "name", Type = "text" }, aggregate] },
            new EntityDefinition { Key = "customer", Label = "客户", Fields = [new FieldDefinition { Key = "name", Type = "text" }] },
            new EntityDefinition
            {
                Key = "ticket",
                Label = "工单",
                Fields =
                [
                    new FieldDefinition { Key = "engineer", Type = "reference", Reference = new ReferenceSettings("engineer") },
                    new FieldDefinition { Key = "customer", Type = "reference", Reference = new ReferenceSettings("customer") },
                    new FieldDefinition { Key = "status", Type = "text" },
                    new FieldDefinition { Key = "hours", Type = "number" },
                    .. ticketFields,
                ],
            },
        ],
    };

    private static AggregateSettings OpenJobs => new()
    {
        Entity = "ticket", Reference = "engineer", Where = [new AggregateCondition { Field = "status", Op = "ne", Value = JsonValue.Create("closed") }],
    };

    [Fact]
    public void Validate_ReportsNothing_ForACountOfTheRecordsThatReferenceThisOne() =>
        Assert.Empty(Validator.Validate(App(Aggregate(OpenJobs))));

    [Fact]
    public void Validate_ReportsNothing_ForASumOfANumericField() =>
        Assert.Empty(Validator.Validate(App(Aggregate(OpenJobs with { Function = "sum", Field = "hours" }))));

    [Fact]
    public void Validate_NamesTheEntity_WhenTheCountedEntityDoesNotExist()
    {
        var problem = Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Entity = "job" }))));
        Assert.Equal("$.entities[0].fields[1].aggregate.entity", problem.Path);
        Assert.Contains("job", problem.Message);
    }

    [Fact]
    public void Validate_NamesTheReference_WhenItDoesNotExistOrDoesNotPointBack()
    {
        var missing = Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Reference = "technician" }))));
        Assert.Equal("$.entities[0].fields[1].aggregate.reference", missing.Path);
        Assert.Contains("technician", missing.Message);

        var elsewhere = Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Reference = "customer" }))));
        Assert.Equal("$.entities[0].fields[1].aggregate.reference", elsewhere.Path);
        Assert.Contains("engineer", elsewhere.Message);

        var notReference = Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Reference = "status" }))));
        Assert.Equal("$.entities[0].fields[1].aggregate.reference", notReference.Path);
    }

    [Fact]
    public void Validate_NamesTheSummedField_WhenMissingOrNotNumeric()
    {
        Assert.Equal("$.entities[0].fields[1].aggregate.field", Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Function = "sum" })))).Path);
        Assert.Equal("$.entities[0].fields[1].aggregate.field", Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Function = "sum", Field = "minutes" })))).Path);
        var text = Assert.Single(Validator.Validate(App(Aggregate(OpenJobs with { Function = "sum", Field = "status" }))));
        Assert.Equal("$.entities[0].fields[1].aggregate.field", text.Path);
        Assert.Contains("数值", text.Message);
    }

    [Fact]
    public void Validate_NamesTheCondition_WhenItsFieldOpOrValueIsWrong()
    {
        var problems = Validator.Validate(App(Aggregate(OpenJobs with
        {
            Where =
            [
                new AggregateCondition { Field = "state", Op = "eq", Value = JsonValue.Create("x") },
                new AggregateCondition { Field = "status", Op = "like", Value = JsonValue.Create("x") },
                new AggregateCondition { Field = "status", Op = "notIn", Value = JsonValue.Create("closed") },
                new AggregateCondition { Field = "status", Op = "empty", Value = JsonValue.Create("closed") },
            ],
        })));
        Assert.Equal(
            ["$.entities[0].fields[1].aggregate.where[0].field", "$.entities[0].fields[1].aggregate.where[1].op", "$.entities[0].fields[1].aggregate.where[2].value", "$.entities[0].fields[1].aggregate.where[3].value"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_NamesTheSettings_WhenAnAggregateHasNone()
    {
        var problem = Assert.Single(Validator.Validate(App(new FieldDefinition { Key = "open_jobs", Type = "aggregate" })));
        Assert.Equal("$.entities[0].fields[1].aggregate", problem.Path);
    }

    [Fact]
    public void Validate_ReportsACycle_OfSumsOverAggregates()
    {
        var app = new AppDefinition
        {
            Key = "demo",
            Name = "演示",
            Entities =
            [
                new EntityDefinition
                {
                    Key = "a", Label = "a",
                    Fields =
                    [
                        new FieldDefinition { Key = "b", Type = "reference", Reference = new ReferenceSettings("b") },
                        new FieldDefinition { Key = "total", Type = "aggregate", Aggregate = new AggregateSettings { Entity = "b", Reference = "a", Function = "sum", Field = "total" } },
                    ],
                },
                new EntityDefinition
                {
                    Key = "b", Label = "b",
                    Fields =
                    [
                        new FieldDefinition { Key = "a", Type = "reference", Reference = new ReferenceSettings("a") },
                        new FieldDefinition { Key = "total", Type = "aggregate", Aggregate = new AggregateSettings { Entity = "a", Reference = "b", Function = "sum", Field = "total" } },
                    ],
                },
            ],
        };
        var problems = Validator.Validate(app);
        Assert.Contains(problems, p => p.Path == "$.entities[0].fields[1].aggregate.field" && p.Message.Contains("循环"));
    }

    [Fact]
    public void Validate_ReportsNothing_ForTheTemplatesOpenJobs()
    {
        var field = SampleApp.Entity("engineer").FindField("open_jobs")!;
        Assert.Equal("aggregate", field.Type);
        Assert.Equal(("service_request", "engineer"), (field.Aggregate!.Entity, field.Aggregate.Reference));
        Assert.Empty(Validator.Validate(SampleApp.Definition));
    }
}
