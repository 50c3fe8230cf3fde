using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Platform.Core.Expressions;

namespace Platform.Bench;

/// <summary>Formula evaluations per second on one thread (the target is ≥ 100,000/s).</summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private readonly JintExpressionEngine engine = new();
    private readonly ExpressionScope scope = new(new Dictionary<string, JsonNode?> { ["quantity"] = 3, ["unit_price"] = 199.5 }, DateTimeOffset.UtcNow);
    private readonly ExpressionScope rows = new(
        new Dictionary<string, JsonNode?> { ["items"] = JsonNode.Parse("""[{"amount": 10}, {"amount": 20.5}, {"amount": 3}]""") }, DateTimeOffset.UtcNow);
    private readonly ExpressionScope dates = new(new Dictionary<string, JsonNode?> { ["reason"] = "no_reason", ["purchased_at"] = "2026-11-20" }, DateTimeOffset.UtcNow);

    [Benchmark(Description = "formula: quantity * unit_price")]
    public JsonNode? Formula() => engine.Evaluate("quantity * unit_price", scope);

    [Benchmark(Description = "sub-table: sum(items, 'amount')")]
    public JsonNode? Sum() => engine.Evaluate("sum(items, 'amount')", rows);

    [Benchmark(Description = "condition: reason + daysBetween(today())")]
    public bool Condition() => engine.EvaluateBool("reason === 'no_reason' && daysBetween(purchased_at, today()) <= 7", dates);
}
