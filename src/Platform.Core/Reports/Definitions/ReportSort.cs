namespace Platform.Core.Reports.Definitions;

/// <summary>Orders report rows by a dimension or measure key.</summary>
public sealed record ReportSort
{
    public required string By { get; init; }

    public bool Descending { get; init; }
}
