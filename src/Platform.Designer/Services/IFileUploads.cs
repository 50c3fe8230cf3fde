namespace Platform.Designer.Services;

/// <summary>
/// Uploads from forms, checked by the same file store as <c>POST /api/files</c>: the extension allow-list, magic bytes,
/// the field's accept list and size limit. <c>fieldPath</c> is the upload field's key, or <c>subTable.field</c>.
/// </summary>
public interface IFileUploads
{
    /// <summary>Extensions the file store accepts at all (the picker's <c>accept</c> narrows it further per field).</summary>
    IReadOnlyCollection<string> AllowedExtensions { get; }

    /// <summary>An upload by the signed-in user for a record's field.</summary>
    Task<FileUploadResult> UploadAsync(string app, string entity, string fieldPath, string fileName, Stream content, CancellationToken ct);

    /// <summary>An anonymous upload through a public form link (served back only under that link).</summary>
    Task<FileUploadResult> UploadPublicAsync(string token, string fieldPath, string fileName, Stream content, CancellationToken ct);

    /// <summary>The stored files behind file ids (unknown ids are left out); <paramref name="publicToken"/> makes public URLs.</summary>
    Task<IReadOnlyList<UploadedFileView>> DescribeAsync(IReadOnlyCollection<string> ids, string? publicToken, CancellationToken ct);
}
