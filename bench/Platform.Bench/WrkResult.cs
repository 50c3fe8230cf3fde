namespace Platform.Bench;

/// <summary>What wrk measured in one phase: 2xx answers per second, p50 and p99 latency in ms, and non-2xx answers.</summary>
public sealed record WrkResult(double Rate, double P50, double P99, int Errors, string Output)
{
    public string Row(string name) => $"| {name,-46} | {Rate,9:0} | {P50,7:0.00} | {P99,7:0.00} |";
}
