namespace Platform.Runtime.Persistence;

/// <summary>An immutable published version of an app's definition.</summary>
public sealed class AppVersionRow
{
    public required string AppKey { get; set; }

    public int Version { get; set; }

    public required string Definition { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public string? PublishedBy { get; set; }
}
