namespace Platform.Core.Forms.Types;

/// <summary><c>file</c>: uploaded documents (pdf, images, csv, Office files by default).</summary>
public sealed class FileFieldType : UploadFieldType
{
    public override string Name => "file";

    public override IReadOnlyList<string> DefaultAccept { get; } =
    [
        "application/pdf", "image/jpeg", "image/png", "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ];
}
