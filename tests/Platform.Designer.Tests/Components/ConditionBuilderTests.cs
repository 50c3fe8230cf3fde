using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Designer.Components;
using Platform.Designer.Components.Conditions;

namespace Platform.Designer.Tests.Components;

/// <summary>The condition builder's model mapping (node ↔ draft) and what the component shows and emits.</summary>
public sealed class ConditionBuilderTests : BunitContext, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static readonly EntityDefinition Returns = new()
    {
        Key = "return_request",
        Label = "退换货申请",
        Fields =
        [
            new FieldDefinition { Key = "reason", Type = "select", Label = "原因", Options = [new FieldOption("quality", "质量问题"), new FieldOption("damaged", "运输破损")] },
            new FieldDefinition { Key = "amount", Type = "money", Label = "金额" },
            new FieldDefinition { Key = "purchased_at", Type = "date", Label = "购买日期" },
            new FieldDefinition { Key = "description", Type = "textarea", Label = "描述" },
        ],
    };

    public ConditionBuilderTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static string Json(ConditionNode? node) => JsonSerializer.Serialize(node, MetadataJson.Options);

    [Fact]
    public void FromNode_ToRootNode_RoundTripsNestedGroups()
    {
        var node = new ConditionNode
        {
            All =
            [
                new ConditionNode { Field = "reason", Op = "in", Value = new JsonArray("quality", "damaged") },
                new ConditionNode { Any = [new ConditionNode { Field = "amount", Op = "gt", Value = 500 }, new ConditionNode { Field = "purchased_at", Op = "withinDays", Value = 7 }] },
            ],
        };

        var draft = ConditionDraft.FromNode(node);

        Assert.True(draft.IsGroup);
        Assert.False(draft.Any);
        Assert.True(draft.Items[1].IsGroup);
        Assert.True(draft.Items[1].Any);
        Assert.Equal(Json(node), Json(draft.ToRootNode()));
    }

    [Fact]
    public void FromNode_WrapsAComparison_WhenTheTopIsNotAGroup()
    {
        var draft = ConditionDraft.FromNode(new ConditionNode { Field = "amount", Op = "ge", Value = 100 });

        Assert.True(draft.IsGroup);
        Assert.Equal("""{"all":[{"field":"amount","op":"ge","value":100}]}""", Json(draft.ToRootNode()));
    }

    [Fact]
    public void ToRootNode_IsNull_WhenTheRootGroupIsEmpty()
    {
        Assert.Null(ConditionDraft.FromNode(null).ToRootNode());
    }

    [Fact]
    public void ToNode_UsesTheExpression_WhenValueFromExpressionIsOn_AndDropsValuesOfEmpty()
    {
        var root = ConditionDraft.Group();
        root.Items.Add(new ConditionDraft { Field = "amount", Op = "gt", Value = JsonValue.Create(3), UseExpression = true, ValueExpression = "quantity * 2" });
        root.Items.Add(new ConditionDraft { Field = "description", Op = "empty", Value = JsonValue.Create("x") });

        Assert.Equal("""{"all":[{"field":"amount","op":"gt","valueExpression":"quantity * 2"},{"field":"description","op":"empty"}]}""", Json(root.ToRootNode()));
    }

    [Fact]
    public void Operators_FollowTheFieldType()
    {
        Assert.Contains("withinDays", ConditionOperators.For(Returns.FindField("purchased_at")));
        Assert.DoesNotContain("contains", ConditionOperators.For(Returns.FindField("amount")));
        Assert.Contains("in", ConditionOperators.For(Returns.FindField("reason")));
        Assert.Equal(["empty", "notEmpty"], ConditionOperators.For(new FieldDefinition { Key = "images", Type = "image" }));
    }

    [Fact]
    public void Builder_ShowsTheCompiledExpression()
    {
        var cut = Render<ConditionBuilder>(p => p
            .Add(b => b.Entity, Returns)
            .Add(b => b.Value, new ConditionNode { All = [new ConditionNode { Field = "reason", Op = "eq", Value = "quality" }, new ConditionNode { Field = "amount", Op = "gt", Value = 500 }] }));

        Assert.Equal("""((reason == "quality") && (amount != null && amount > 500))""", cut.Find("[data-testid=cond-expression]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=cond-row]").Count);
    }

    [Fact]
    public void Builder_EmitsTheNewTree_WhenAConditionIsAdded()
    {
        ConditionNode? emitted = null;
        string? compiled = null;
        var cut = Render<ConditionBuilder>(p => p
            .Add(b => b.Entity, Returns)
            .Add(b => b.Value, new ConditionNode { All = [new ConditionNode { Field = "amount", Op = "gt", Value = 500 }] })
            .Add(b => b.ValueChanged, EventCallback.Factory.Create<ConditionNode?>(this, n => emitted = n))
            .Add(b => b.CompiledChanged, EventCallback.Factory.Create<string?>(this, e => compiled = e)));

        cut.Find("[data-testid=cond-add]").Click();

        Assert.NotNull(emitted);
        Assert.Equal(2, emitted!.All!.Count);
        Assert.Equal("reason", emitted.All[1].Field);
        Assert.StartsWith("((amount != null && amount > 500) && (reason == null))", compiled);
    }

    [Fact]
    public void Builder_ShowsTheProblem_WhenAFieldDoesNotExist()
    {
        var cut = Render<ConditionBuilder>(p => p
            .Add(b => b.Entity, Returns)
            .Add(b => b.Value, new ConditionNode { All = [new ConditionNode { Field = "colour", Op = "eq", Value = "red" }] }));

        Assert.Contains("字段 'colour' 不存在", cut.Find("[data-testid=cond-problem]").TextContent);
    }

    [Fact]
    public void Builder_OpensInAdvancedMode_WhenOnlyAnExpressionIsGiven()
    {
        var cut = Render<ConditionBuilder>(p => p.Add(b => b.Entity, Returns).Add(b => b.Expression, "amount > 500"));

        Assert.Empty(cut.FindAll("[data-testid=cond-row]"));
        Assert.NotNull(cut.Find("textarea[data-testid=cond-raw]"));
        Assert.Empty(cut.FindAll("[data-testid=cond-expression]"));
    }
}
