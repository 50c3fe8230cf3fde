namespace Platform.Core.Rules.Definitions;

/// <summary>A duration in metadata: <c>{ "hours": 4 }</c>, <c>{ "minutes": 30 }</c>, combinable.</summary>
public sealed record RuleDelay
{
    public int Days { get; init; }

    public int Hours { get; init; }

    public int Minutes { get; init; }

    public TimeSpan ToTimeSpan() => TimeSpan.FromDays(Days) + TimeSpan.FromHours(Hours) + TimeSpan.FromMinutes(Minutes);
}
