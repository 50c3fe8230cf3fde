namespace Platform.Runtime.Persistence;

/// <summary>An installed app and its current published definition (AppDefinition JSON).</summary>
public sealed class AppRow
{
    public required string Key { get; set; }

    public required string Name { get; set; }

    public int Version { get; set; }

    public required string Definition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
