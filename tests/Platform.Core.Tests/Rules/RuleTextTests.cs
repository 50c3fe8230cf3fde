using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Rules;
using static Platform.Core.Tests.Rules.RuleTestKit;

namespace Platform.Core.Tests.Rules;

public sealed class RuleTextTests
{
    private static ExpressionScope Scope(string record)
    {
        var values = Record(record);
        return new ExpressionScope(values.ToDictionary(p => p.Key, p => p.Value?.DeepClone()), Now);
    }

    private static string Render(string text, string record) => RuleText.Render(text, ExpressionEngine, Scope(record));

    [Fact]
    public void Render_ReplacesEveryPlaceholder_WithTheExpressionsValue() =>
        Assert.Equal("申请 RT-1 数量 3，合计 7.5 元",
            Render("申请 {{request_no}} 数量 {{ quantity }}，合计 {{quantity * unit_price}} 元", """{ "request_no": "RT-1", "quantity": 3, "unit_price": 2.5 }"""));

    [Fact]
    public void Render_JoinsArraysWithTheChineseEnumerationComma_WhenTheValueIsAnArray() =>
        Assert.Equal("技能：kitchen、laundry、installation", Render("技能：{{skills}}", """{ "skills": ["kitchen", "laundry", "installation"] }"""));

    [Fact]
    public void Render_WritesNothing_WhenTheValueIsNullOrUndefined() =>
        Assert.Equal("[]()", Render("[{{ description }}]({{ missing_obj.x === 1 ? 'y' : undefined }})", """{ "description": null, "missing_obj": {} }"""));

    [Fact]
    public void Render_WritesNumbersBooleansAndObjectsAsJson_WhenTheValueIsNotAString() =>
        Assert.Equal("true 0 {\"a\":1}", Render("{{active}} {{jobs}} {{ ({ a: 1 }) }}", """{ "active": true, "jobs": 0 }"""));

    [Theory]
    [InlineData("没有占位符的文本")]
    [InlineData("单括号 { quantity } 与 }} 原样保留")]
    [InlineData("")]
    public void Render_ReturnsTheTextUnchanged_WhenItHasNoPlaceholders(string text) =>
        Assert.Equal(text, Render(text, """{ "quantity": 3 }"""));

    [Fact]
    public void Render_DoesNotEvaluateThePlaceholdersOutput_WhenAValueLooksLikeAPlaceholder() =>
        Assert.Equal("备注：{{secret}}", Render("备注：{{note}}", """{ "note": "{{secret}}", "secret": "x" }"""));

    [Fact]
    public void Render_Throws_WhenAPlaceholderExpressionFails() =>
        Assert.Throws<ExpressionFault>(() => Render("{{ undefinedFn() }}", "{}"));

    [Fact]
    public void Expressions_ListsEachPlaceholderTrimmed_WhenTextHasSeveral()
    {
        Assert.Equal(["request_no", "daysBetween(purchased_at, today())"], RuleText.Expressions("{{ request_no }} 与 {{daysBetween(purchased_at, today())}}"));
        Assert.Empty(RuleText.Expressions(null));
        Assert.Empty(RuleText.Expressions("纯文本"));
    }
}
