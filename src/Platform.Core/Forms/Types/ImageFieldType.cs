namespace Platform.Core.Forms.Types;

/// <summary><c>image</c>: uploaded pictures (jpg, png, webp by default).</summary>
public sealed class ImageFieldType : UploadFieldType
{
    public override string Name => "image";

    public override IReadOnlyList<string> DefaultAccept { get; } = ["image/jpeg", "image/png", "image/webp"];
}
