namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A figure per row of the report. Kinds: count, sum, avg, min, max, distinct (count of distinct values),
/// ratio (<see cref="Numerator"/> ÷ <see cref="Denominator"/>, two other measures) and duration (between
/// <see cref="From"/> and <see cref="To"/> in <see cref="Unit"/>s, summarised by <see cref="Aggregate"/>).
/// A measure may count another entity (<see cref="Entity"/>) grouped along the same dimensions through
/// <see cref="Map"/>, e.g. orders per month beside returns per month.
/// </summary>
public sealed record ReportMeasure
{
    public required string Key { get; init; }

    /// <summary>count, sum, avg, min, max, distinct, ratio or duration.</summary>
    public required string Kind { get; init; }

    /// <summary>The field summed, averaged or counted (path).</summary>
    public string? Field { get; init; }

    /// <summary>Duration start (a date/date-time path).</summary>
    public string? From { get; init; }

    /// <summary>Duration end (a date/date-time path).</summary>
    public string? To { get; init; }

    /// <summary>Duration unit: minutes, hours (default) or days.</summary>
    public string? Unit { get; init; }

    /// <summary>How durations are summarised: avg (default), sum, min or max.</summary>
    public string? Aggregate { get; init; }

    /// <summary>For ratio: the measure on top.</summary>
    public string? Numerator { get; init; }

    /// <summary>For ratio: the measure below.</summary>
    public string? Denominator { get; init; }

    /// <summary>For ratio: multiply by 100.</summary>
    public bool Percent { get; init; }

    /// <summary>Decimals in the answer (default 2).</summary>
    public int? Scale { get; init; }

    /// <summary>Only rows meeting these conditions count for this measure (e.g. first_time_fix = true).</summary>
    public IReadOnlyList<ReportFilter> Where { get; init; } = [];

    /// <summary>Another entity this measure counts (its rows also meet <see cref="Where"/>).</summary>
    public string? Entity { get; init; }

    /// <summary>For <see cref="Entity"/>: dimension key → field path of that entity holding the same value.</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    public string? Label { get; init; }

    public string? LabelEn { get; init; }
}
