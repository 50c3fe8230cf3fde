namespace Platform.Core.Metadata;

/// <summary>The form's layout: ordered sections, each with a column count and ordered field keys.</summary>
public sealed record FormLayout
{
    public IReadOnlyList<FormSection> Sections { get; init; } = [];
}
