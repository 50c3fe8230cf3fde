namespace Platform.Core.Reports.Definitions;

/// <summary>
/// How the report is drawn: table, pivot, line, bar, stacked-bar, pie, kpi or funnel. With two dimensions the
/// second one makes the series (stacks, lines, pivot columns).
/// </summary>
public sealed record ReportChart
{
    public string Kind { get; init; } = "table";

    /// <summary>Optional echarts options merged over the generated ones (colours, legends).</summary>
    public System.Text.Json.Nodes.JsonObject? Options { get; init; }
}
