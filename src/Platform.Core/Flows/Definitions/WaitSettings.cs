namespace Platform.Core.Flows.Definitions;

/// <summary>A wait step's length: a duration, or until the moment held in a date field.</summary>
public sealed record WaitSettings
{
    public double? Minutes { get; init; }

    public double? Hours { get; init; }

    public string? UntilField { get; init; }

    /// <summary>Count only working time (default false: calendar time).</summary>
    public bool BusinessTime { get; init; }

    /// <summary>The duration, when given as minutes or hours.</summary>
    public TimeSpan? Duration => Minutes is { } m ? TimeSpan.FromMinutes(m) : Hours is { } h ? TimeSpan.FromHours(h) : null;
}
