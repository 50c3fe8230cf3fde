using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// One additive figure a rollup keeps per day and group: a count or a sum of <see cref="Field"/> over the rows
/// meeting <see cref="Where"/>. Sums and averages keep a sum and a count of values; ratios are computed from their measures.
/// </summary>
/// <param name="Name">Stored name, e.g. <c>count</c>, <c>amount.sum</c>, <c>amount.n</c>, or <c>_rows</c>.</param>
/// <param name="Kind">count or sum.</param>
/// <param name="Field">The field summed or counted when not null; null counts rows.</param>
/// <param name="Where">Conditions a row must meet to count.</param>
public sealed record RollupComponent(string Name, string Kind, string? Field, IReadOnlyList<ReportFilter> Where);
