using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;

namespace Platform.Core.Tests.Expressions;

public sealed class JintExpressionEngineTests
{
    private static readonly JintExpressionEngine Engine = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 18, 30, 0, TimeSpan.Zero); // 2026-11-25 02:30 in China

    private static ExpressionScope Scope(params (string Key, JsonNode? Value)[] vars) =>
        new(vars.ToDictionary(v => v.Key, v => v.Value), Now, "cs01");

    [Fact]
    public void Evaluate_ComputesArithmetic_WhenVariablesAreNumbers() =>
        Assert.Equal(7.5, Engine.Evaluate("quantity * unit_price", Scope(("quantity", 3), ("unit_price", 2.5)))!.GetValue<double>());

    [Fact]
    public void Evaluate_ReturnsNull_WhenResultUndefinedOrNaN()
    {
        Assert.Null(Engine.Evaluate("undefined", Scope()));
        Assert.Null(Engine.Evaluate("quantity * 1", Scope(("quantity", "x"))));
    }

    [Fact]
    public void Evaluate_ConvertsArraysAndObjects()
    {
        var result = Engine.Evaluate("({ a: [1, 'b', true, null], n: rows.length })", Scope(("rows", new JsonArray(1, 2))));
        Assert.Equal("""{"a":[1,"b",true,null],"n":2}""", result!.ToJsonString());
    }

    [Fact]
    public void Evaluate_SeesSubTableRows_WhenVariableIsArray()
    {
        var items = JsonNode.Parse("""[{"amount": 10.5}, {"amount": 4.5}, {"amount": null}]""");
        Assert.Equal(15, Engine.Evaluate("sum(items, 'amount')", Scope(("items", items)))!.GetValue<long>());
        Assert.Equal(3, Engine.Evaluate("count(items)", Scope(("items", items)))!.GetValue<long>());
    }

    [Fact]
    public void Evaluate_UsesChinaDate_ForToday()
    {
        Assert.Equal("2026-11-25", Engine.Evaluate("today()", Scope())!.GetValue<string>());
        Assert.Equal(7, Engine.Evaluate("daysBetween(purchased_at, today())", Scope(("purchased_at", "2026-11-18")))!.GetValue<long>());
        Assert.True(Engine.EvaluateBool("daysBetween(purchased_at, today()) <= 7", Scope(("purchased_at", "2026-11-18"))));
        Assert.Equal("2026-12-02", Engine.Evaluate("addDays('2026-11-25', 7)", Scope())!.GetValue<string>());
        Assert.Equal("cs01", Engine.Evaluate("$user", Scope())!.GetValue<string>());
    }

    [Theory]
    [InlineData("isMobile('13800138000')", true)]
    [InlineData("isMobile('12345')", false)]
    [InlineData("isEmail('a@b.cn')", true)]
    [InlineData("isEmpty('')", true)]
    [InlineData("isEmpty([])", true)]
    [InlineData("isEmpty(0)", false)]
    [InlineData("contains(['a', 'b'], 'b')", true)]
    [InlineData("contains('退货', '货')", true)]
    [InlineData("round(1.005, 2) === 1.01", true)]
    [InlineData("coalesce(null, '', 'x') === 'x'", true)]
    [InlineData("hoursBetween('2026-11-25T00:00:00Z', '2026-11-25T04:30:00Z') === 4.5", true)]
    [InlineData("year('2026-11-25') === 2026 && month('2026-11-25') === 11", true)]
    public void EvaluateBool_Helpers_BehaveAsDocumented(string source, bool expected) =>
        Assert.Equal(expected, Engine.EvaluateBool(source, Scope()));

    [Fact]
    public void Evaluate_DoesNotLeakVariables_BetweenEvaluations()
    {
        Assert.Equal(1, Engine.Evaluate("secret", Scope(("secret", 1)))!.GetValue<long>());
        var fault = Assert.Throws<ExpressionFault>(() => Engine.Evaluate("secret", Scope()));
        Assert.Equal(ExpressionFaultKind.Runtime, fault.Kind);
        Assert.Contains("secret", fault.Reason);
    }

    [Fact]
    public void Evaluate_DoesNotShareMutations_OfVariables()
    {
        var rows = new JsonArray(new JsonObject { ["a"] = 1 });
        Engine.Evaluate("(rows[0].a = 5, rows.push(1))", Scope(("rows", rows)));
        Assert.Equal(1, rows[0]!["a"]!.GetValue<int>());
        Assert.Single(rows);
    }

    [Fact]
    public void GetFreeVariables_ListsFieldsRead_NotPropertiesOrLocals()
    {
        var free = Engine.GetFreeVariables("sum(items, 'amount') + x.y + ({ k: z }).k + ((a, b) => a + b + c)(1, 2) + Math.max(q, 1)");
        Assert.Equal(new HashSet<string> { "items", "x", "z", "c", "q" }, free.ToHashSet());
    }

    [Fact]
    public void Evaluate_ReusesCompiledScripts_ForSameSource()
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++)
        {
            Engine.Evaluate("quantity * unit_price", Scope(("quantity", i), ("unit_price", 2)));
        }

        // A loose floor so it never flakes in Debug on a busy machine; bench/ measures the real figure.
        Assert.True(20_000 / watch.Elapsed.TotalSeconds > 20_000, $"{20_000 / watch.Elapsed.TotalSeconds:0} evaluations/s");
    }
}
