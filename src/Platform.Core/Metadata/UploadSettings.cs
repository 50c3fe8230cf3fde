namespace Platform.Core.Metadata;

/// <summary>Constraints of an image, video or file upload field.</summary>
public sealed record UploadSettings
{
    /// <summary>Allowed extensions without the dot (jpg, png, mp4 …); empty means the type's defaults.</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];

    public int? MaxSizeMb { get; init; }

    public int? MaxFiles { get; init; }
}
