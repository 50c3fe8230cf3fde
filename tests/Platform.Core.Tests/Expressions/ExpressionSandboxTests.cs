using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;

namespace Platform.Core.Tests.Expressions;

public sealed class ExpressionSandboxTests
{
    private static readonly JintExpressionEngine Engine = new();

    private static ExpressionScope Scope(params (string Key, JsonNode? Value)[] vars) =>
        new(vars.ToDictionary(v => v.Key, v => v.Value), new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero), "cs01");

    private static ExpressionFault Fails(string source, JintExpressionEngine? engine = null)
    {
        engine ??= Engine;
        var fault = Assert.Throws<ExpressionFault>(() => engine.Evaluate(source, Scope(("quantity", 2), ("unit_price", 3.5))));
        Assert.Equal(source, fault.Expression);
        Assert.False(string.IsNullOrWhiteSpace(fault.Reason));
        StillHealthy(engine);
        return fault;
    }

    private static void StillHealthy(JintExpressionEngine engine) =>
        Assert.Equal(7, engine.Evaluate("quantity * unit_price", Scope(("quantity", 2), ("unit_price", 3.5)))!.GetValue<long>());

    [Theory]
    [InlineData("this.constructor.constructor('return globalThis')()")]
    [InlineData("(() => {}).constructor('return globalThis')()")]
    [InlineData("Function('return 1')()")]
    [InlineData("new Function('return 1')")]
    [InlineData("eval('1 + 1')")]
    [InlineData("(0, eval)('1')")]
    [InlineData("[].map.constructor('return this')()")]
    public void Evaluate_Forbidden_WhenCompilingStrings(string source)
    {
        var fault = Fails(source);
        Assert.True(fault.Kind is ExpressionFaultKind.Forbidden or ExpressionFaultKind.Runtime, fault.ToString());
    }

    [Fact]
    public void Evaluate_Forbidden_WhenImportingModules()
    {
        Assert.Equal(ExpressionFaultKind.Forbidden, Fails("import('fs')").Kind);
        Assert.NotNull(Engine.Check("import('fs')"));
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("clrHelper.getType()")]
    [InlineData("$user.GetType()")]
    [InlineData("quantity.GetType().Assembly")]
    [InlineData("host.type('System.Environment')")]
    public void Evaluate_Fails_WhenReachingForClrObjects(string source) =>
        Assert.Equal(ExpressionFaultKind.Runtime, Fails(source).Kind);

    [Theory]
    [InlineData("Object.prototype.polluted = 1")]
    [InlineData("({}).__proto__.polluted = 1")]
    [InlineData("Array.prototype.push = null")]
    [InlineData("Math.max = () => 0")]
    [InlineData("globalThis.sum = () => 0")]
    [InlineData("(() => { globalThis.leak = 1; })()")]
    [InlineData("Object.defineProperty(Object.prototype, 'polluted', { value: 1 })")]
    public void Evaluate_Forbidden_WhenPollutingSharedObjects(string source)
    {
        Assert.Equal(ExpressionFaultKind.Forbidden, Fails(source).Kind);
        Assert.Null(Engine.Evaluate("({}).polluted", Scope()));
        Assert.Equal(2, Engine.Evaluate("[1].push(2)", Scope())!.GetValue<long>());
        Assert.Equal(3, Engine.Evaluate("Math.max(1, 3)", Scope())!.GetValue<long>());
        Assert.Equal(3, Engine.Evaluate("sum([{a: 1}, {a: 2}], 'a')", Scope())!.GetValue<long>());
        Assert.Equal("undefined", Engine.Evaluate("typeof globalThis.leak", Scope())!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_TimesOutWithinLimit_WhenLoopingForever()
    {
        var engine = new JintExpressionEngine();
        StillHealthy(engine);
        var watch = Stopwatch.StartNew();
        var fault = Assert.Throws<ExpressionFault>(() => engine.Evaluate("(() => { while (true) {} })()", Scope()));
        watch.Stop();
        Assert.True(fault.Kind is ExpressionFaultKind.Timeout or ExpressionFaultKind.StatementLimit, fault.ToString());
        Assert.True(watch.ElapsedMilliseconds <= engine.Limits.TimeoutMs + 50, $"stopped after {watch.ElapsedMilliseconds} ms");
        StillHealthy(engine);
    }

    [Fact]
    public void Evaluate_TimesOut_WhenLoopRunsFewStatementsButLong()
    {
        var engine = new JintExpressionEngine(new ExpressionLimits { MaxStatements = 100_000_000 });
        StillHealthy(engine);
        var watch = Stopwatch.StartNew();
        var fault = Assert.Throws<ExpressionFault>(() => engine.Evaluate("(() => { while (true) {} })()", Scope()));
        Assert.Equal(ExpressionFaultKind.Timeout, fault.Kind);
        Assert.True(watch.ElapsedMilliseconds <= engine.Limits.TimeoutMs + 50, $"stopped after {watch.ElapsedMilliseconds} ms");
        StillHealthy(engine);
    }

    [Fact]
    public void Evaluate_RearmsTimeout_ForEachEvaluation()
    {
        var engine = new JintExpressionEngine(new ExpressionLimits { TimeoutMs = 200, MaxStatements = 100_000_000 });
        StillHealthy(engine);
        const string busy = "(() => { const end = Date.now() + 60; let n = 0; while (Date.now() < end) { n++; } return n > 0; })()";
        for (var i = 0; i < 5; i++)
        {
            Assert.True(engine.EvaluateBool(busy, Scope()));
        }
    }

    [Fact]
    public void Evaluate_StatementLimit_WhenRunningTooManyStatements() =>
        Assert.Equal(ExpressionFaultKind.StatementLimit, Fails("(() => { let n = 0; for (let i = 0; i < 1e6; i++) { n += i; } return n; })()").Kind);

    [Theory]
    [InlineData("(function f() { return f(); })()")]
    [InlineData("(function f(n) { return n === 0 ? 0 : 1 + f(n - 1); })(100000)")]
    public void Evaluate_RecursionLimit_WhenRecursingDeeply(string source) =>
        Assert.Equal(ExpressionFaultKind.RecursionLimit, Fails(source).Kind);

    [Theory]
    [InlineData("(() => { const a = []; while (true) { a.push(new Array(10000).fill(1)); } })()")]
    [InlineData("(() => { let s = 'x'; for (let i = 0; i < 40; i++) { s = s + s; } return s.length; })()")]
    [InlineData("new Array(5e7).fill(0).length")]
    [InlineData("'x'.repeat(1e8)")]
    [InlineData("Array(10000).fill('x'.repeat(10000)).join('')")]
    public void Evaluate_MemoryLimit_WhenAllocatingHugely(string source)
    {
        var fault = Fails(source);
        Assert.True(fault.Kind is ExpressionFaultKind.MemoryLimit or ExpressionFaultKind.Runtime or ExpressionFaultKind.Timeout, fault.ToString());
        Assert.NotEqual(ExpressionFaultKind.Syntax, fault.Kind);
    }

    [Fact]
    public void Evaluate_MemoryLimit_WhenGrowingArrays()
    {
        // Generous time and statement budgets, so only the memory limit can stop it, even on a loaded machine.
        var engine = new JintExpressionEngine(new ExpressionLimits { TimeoutMs = 30_000, MaxStatements = 100_000_000 });
        Assert.Equal(ExpressionFaultKind.MemoryLimit, Fails("(() => { const a = []; while (true) { a.push(new Array(10000).fill(1)); } })()", engine).Kind);
    }

    [Theory]
    [InlineData("1 +")]
    [InlineData("quantity; while(true){}")]
    [InlineData("a) + (b")]
    [InlineData("")]
    public void Check_ReportsSyntax_WhenNotOneExpression(string source)
    {
        var fault = Engine.Check(source);
        Assert.NotNull(fault);
        Assert.Equal(ExpressionFaultKind.Syntax, fault.Kind);
    }

    [Fact]
    public void Check_ReportsSyntax_WhenSourceTooLong() =>
        Assert.Equal(ExpressionFaultKind.Syntax, Engine.Check(new string('1', 5000))!.Kind);

    [Fact]
    public void Evaluate_Succeeds_InParallelAfterFaults()
    {
        var engine = new JintExpressionEngine();
        var failures = 0;
        Parallel.For(0, 4000, i =>
        {
            if (i % 500 == 0)
            {
                try
                {
                    engine.Evaluate("Object.prototype.x = 1", Scope());
                }
                catch (ExpressionFault)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            var result = engine.Evaluate("quantity * unit_price", Scope(("quantity", i), ("unit_price", 2)))!.GetValue<long>();
            Assert.Equal(i * 2L, result);
        });
        Assert.Equal(8, failures);
    }
}
