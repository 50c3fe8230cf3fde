namespace Platform.Core.Metadata;

/// <summary>One option of a select or multi-select field.</summary>
public sealed record FieldOption(string Value, string Label)
{
    public string? LabelEn { get; init; }

    public string? Color { get; init; }
}
