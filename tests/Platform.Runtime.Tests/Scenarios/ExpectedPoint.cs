namespace Platform.Runtime.Tests.Scenarios;

/// <summary>A report row computed in the test: its dimension values, measure values, and the records its drill measure counts.</summary>
internal sealed record ExpectedPoint(IReadOnlyDictionary<string, string?> Dimensions, Dictionary<string, decimal?> Measures, HashSet<Guid> Records)
{
    public string Key => string.Join(" | ", Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value ?? "∅"}"));
}
