using System.Text.Json.Nodes;

namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A fixed condition: <c>{ field, op, value }</c> with op eq ne gt ge lt le in contains empty notEmpty, or
/// <c>within</c> for date fields with a period back from now (<c>"30d"</c>, <c>"12m"</c>, <c>"1y"</c>).
/// </summary>
public sealed record ReportFilter
{
    public required string Field { get; init; }

    public string Op { get; init; } = "eq";

    /// <summary>A JSON literal (an array for <c>in</c>); never spliced into SQL.</summary>
    public JsonNode? Value { get; init; }
}
