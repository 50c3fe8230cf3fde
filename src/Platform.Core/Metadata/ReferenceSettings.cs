namespace Platform.Core.Metadata;

/// <summary>A reference field points at a record of <see cref="Entity"/>; <see cref="DisplayField"/> names it.</summary>
public sealed record ReferenceSettings(string Entity)
{
    public string? DisplayField { get; init; }
}
