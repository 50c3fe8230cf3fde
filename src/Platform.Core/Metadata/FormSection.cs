namespace Platform.Core.Metadata;

/// <summary>A titled group of fields laid out in 1–4 columns.</summary>
public sealed record FormSection
{
    public required string Key { get; init; }

    public string? Title { get; init; }

    public string? TitleEn { get; init; }

    public int Columns { get; init; } = 1;

    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>Expression; when false the whole section is hidden.</summary>
    public string? VisibleWhen { get; init; }
}
