namespace Platform.Designer.Components.FormDesign;

/// <summary>A section of the form being designed (mutable while the designer edits it).</summary>
public sealed class DesignSection
{
    public required string Key { get; set; }

    public string? Title { get; set; }

    public string? TitleEn { get; set; }

    /// <summary>1 to 3 columns in the designer (the metadata allows 4).</summary>
    public int Columns { get; set; } = 2;

    public string? VisibleWhen { get; set; }

    public List<string> Fields { get; } = [];
}
