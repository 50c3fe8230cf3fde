namespace Platform.Core.Forms.Types;

/// <summary><c>video</c>: uploaded videos (mp4 by default).</summary>
public sealed class VideoFieldType : UploadFieldType
{
    public override string Name => "video";

    protected override int DefaultMaxFiles => 1;

    public override IReadOnlyList<string> DefaultAccept { get; } = ["video/mp4"];
}
