namespace Platform.Runtime.Execution.Files;

/// <summary>An accepted file extension: the content type it is served as and the bytes its content must start with.</summary>
public sealed record FileKind(string Extension, string ContentType, Func<ReadOnlyMemory<byte>, bool> Matches)
{
    /// <summary>Images and videos are shown inline; everything else downloads.</summary>
    public bool Inline => ContentType.StartsWith("image/", StringComparison.Ordinal) || ContentType.StartsWith("video/", StringComparison.Ordinal);
}
