namespace Platform.Designer.Services;

/// <summary>A stored file as a form shows it: name, size, type and the URL it is served at.</summary>
public sealed record UploadedFileView(string Id, string Name, string ContentType, long Size, string Url)
{
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);

    public bool IsVideo => ContentType.StartsWith("video/", StringComparison.Ordinal);
}
