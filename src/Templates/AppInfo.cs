namespace Platform.Templates;

/// <summary>The <c>app</c> section of a package.</summary>
public sealed record AppInfo
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    public string? Icon { get; init; }
}
