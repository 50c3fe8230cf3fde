namespace Platform.Runtime.Execution.Reports;

/// <summary>What the viewer asked for: values of the report's parameters (by key), extra <c>field:op:value</c> filters, and the clock.</summary>
public sealed record ReportRequest(IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Filters, DateTimeOffset Now)
{
    public static ReportRequest Empty(DateTimeOffset now) => new(new Dictionary<string, string>(), [], now);
}
