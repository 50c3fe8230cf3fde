using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Tests.Rules;

public sealed class ConditionDecompilerTests
{
    private static string Json(ConditionNode? node) => JsonSerializer.Serialize(node, MetadataJson.Options);

    public static TheoryData<string> Trees() => new()
    {
        """{"all":[{"field":"reason","op":"eq","value":"quality"}]}""",
        """{"all":[{"field":"amount","op":"gt","value":500},{"field":"amount","op":"le","value":2000.5}]}""",
        """{"any":[{"field":"kind","op":"ne","value":"return"},{"field":"reason","op":"in","value":["quality","damaged"]},{"field":"reason","op":"notIn","value":["other"]}]}""",
        """{"all":[{"field":"description","op":"contains","value":"坏"},{"field":"description","op":"notContains","value":"测试"},{"field":"images","op":"empty"},{"field":"video","op":"notEmpty"}]}""",
        """{"all":[{"field":"purchased_at","op":"withinDays","value":7},{"field":"purchased_at","op":"olderThanDays","value":30},{"field":"phone","op":"startsWith","value":"138"}]}""",
        """{"all":[{"field":"quantity","op":"ge","valueExpression":"purchased_qty * 2"},{"any":[{"field":"amount","op":"lt","value":-3},{"all":[{"field":"active","op":"eq","value":true},{"field":"engineer","op":"eq"}]}]}]}""",
        """{"all":[]}""",
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void TryParse_GivesTheTreeBack_WhenTheExpressionIsTheCompilersOwn(string json)
    {
        var node = JsonSerializer.Deserialize<ConditionNode>(json, MetadataJson.Options)!;
        var expression = ConditionCompiler.Compile(node, null);

        var parsed = ConditionDecompiler.TryParse(expression);

        Assert.Equal(json, Json(parsed));
    }

    [Theory]
    [InlineData("amount > 500")]
    [InlineData("reason == 'quality'")]
    [InlineData("engineer != null")]
    [InlineData("stock < safety_stock && ($old == null || $old.stock >= safety_stock)")]
    [InlineData("(reason == \"quality\"")]
    [InlineData("")]
    public void TryParse_IsNull_WhenTheExpressionIsNotTheCompilersShape(string expression)
    {
        Assert.Null(ConditionDecompiler.TryParse(expression));
    }

    [Fact]
    public void TryParse_KeepsValuesAsLiterals_SoACodeLikeStringIsNeverAnExpression()
    {
        var node = new ConditionNode { All = [new ConditionNode { Field = "description", Op = "eq", Value = JsonValue.Create("\"); alert(1); (\"") }] };

        var parsed = ConditionDecompiler.TryParse(ConditionCompiler.Compile(node, null));

        Assert.Equal("\"); alert(1); (\"", parsed!.All![0].Value!.GetValue<string>());
        Assert.Null(parsed.All[0].ValueExpression);
    }
}
