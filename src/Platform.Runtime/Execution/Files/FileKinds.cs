using System.Text;

namespace Platform.Runtime.Execution.Files;

/// <summary>
/// The extension allow-list with each kind's magic bytes: a file is accepted only when its extension is listed and
/// its first bytes are what that format starts with, so a script renamed to <c>.jpg</c> is refused. No SVG or HTML:
/// both can carry script.
/// </summary>
public static class FileKinds
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int HeaderBytes = 4096;

    private static readonly Dictionary<string, FileKind> Kinds = new[]
    {
        new FileKind("jpg", "image/jpeg", h => Starts(h, 0xFF, 0xD8, 0xFF)),
        new FileKind("jpeg", "image/jpeg", h => Starts(h, 0xFF, 0xD8, 0xFF)),
        new FileKind("png", "image/png", h => Starts(h, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)),
        new FileKind("gif", "image/gif", h => Ascii(h, 0, "GIF87a") || Ascii(h, 0, "GIF89a")),
        new FileKind("webp", "image/webp", h => Ascii(h, 0, "RIFF") && Ascii(h, 8, "WEBP")),
        new FileKind("heic", "image/heic", h => Ascii(h, 4, "ftyp") && (Ascii(h, 8, "heic") || Ascii(h, 8, "heix") || Ascii(h, 8, "mif1"))),
        new FileKind("mp4", "video/mp4", h => Ascii(h, 4, "ftyp")),
        new FileKind("m4v", "video/mp4", h => Ascii(h, 4, "ftyp")),
        new FileKind("mov", "video/quicktime", h => Ascii(h, 4, "ftyp") || Ascii(h, 4, "moov") || Ascii(h, 4, "wide") || Ascii(h, 4, "mdat")),
        new FileKind("webm", "video/webm", h => Starts(h, 0x1A, 0x45, 0xDF, 0xA3)),
        new FileKind("pdf", "application/pdf", h => Ascii(h, 0, "%PDF-")),
        new FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Zip),
        new FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Zip),
        new FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", Zip),
        new FileKind("zip", "application/zip", Zip),
        new FileKind("doc", "application/msword", Ole),
        new FileKind("xls", "application/vnd.ms-excel", Ole),
        new FileKind("ppt", "application/vnd.ms-powerpoint", Ole),
        new FileKind("txt", "text/plain", PlainText),
        new FileKind("csv", "text/csv", PlainText),
    }.ToDictionary(k => k.Extension, StringComparer.Ordinal);

    /// <summary>The kind for a file name's extension, or null when the extension is not on the allow-list.</summary>
    public static FileKind? ForName(string fileName)
    {
        var extension = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        return Kinds.GetValueOrDefault(extension);
    }

    /// <summary>The field-type family a kind belongs to: image fields take images, video fields videos, file fields anything listed.</summary>
    public static bool Fits(FileKind kind, string fieldType) => fieldType switch
    {
        "image" => kind.ContentType.StartsWith("image/", StringComparison.Ordinal),
        "video" => kind.ContentType.StartsWith("video/", StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>True when an accept list (content types like <c>image/png</c>, or extensions like <c>png</c>) admits the kind.</summary>
    public static bool Accepted(FileKind kind, IReadOnlyList<string> accept) =>
        accept.Count == 0 || accept.Any(a => a.Contains('/', StringComparison.Ordinal)
            ? string.Equals(a, kind.ContentType, StringComparison.OrdinalIgnoreCase) || (a.EndsWith("/*", StringComparison.Ordinal) && kind.ContentType.StartsWith(a[..^1], StringComparison.OrdinalIgnoreCase))
            : string.Equals(a.TrimStart('.'), kind.Extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The extensions of the allow-list (for the file picker's accept attribute).</summary>
    public static IReadOnlyCollection<string> Extensions => Kinds.Keys;

    private static bool Starts(ReadOnlyMemory<byte> header, params byte[] magic) => header.Length >= magic.Length && header.Span[..magic.Length].SequenceEqual(magic);

    private static bool Ascii(ReadOnlyMemory<byte> header, int offset, string text) =>
        header.Length >= offset + text.Length && header.Span.Slice(offset, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));

    private static bool Zip(ReadOnlyMemory<byte> header) => Starts(header, 0x50, 0x4B, 0x03, 0x04);

    private static bool Ole(ReadOnlyMemory<byte> header) => Starts(header, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);

    // Text files: no NUL byte in the first block (UTF-8 and GBK text never has one; binaries almost always do).
    private static bool PlainText(ReadOnlyMemory<byte> header) => header.Length > 0 && !header.Span.Contains((byte)0);
}
