using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Files;
using Platform.Runtime.Execution.PublicForms;

namespace Platform.Runtime.Ui;

/// <summary>Form uploads through the file store, with the same field checks as the files API.</summary>
public sealed class FileUploads(AppCatalog catalog, FileStore files, PublicFormLinks links, CurrentUser user) : IFileUploads
{
    public IReadOnlyCollection<string> AllowedExtensions => FileKinds.Extensions;

    public async Task<FileUploadResult> UploadAsync(string app, string entity, string fieldPath, string fileName, Stream content, CancellationToken ct)
    {
        var field = (await catalog.GetAsync(app, ct))?.FindEntity(entity) is { } found ? FileStore.FindUploadField(found, fieldPath) : null;
        if (field is null)
        {
            return new FileUploadResult(null, $"「{fieldPath}」不是上传字段 / not an upload field");
        }

        var (stored, error) = await files.SaveAsync(new FileUpload(fileName, content, field, await user.NameAsync(), null), ct);
        return new FileUploadResult(stored is null ? null : View(stored, null), error);
    }

    public async Task<FileUploadResult> UploadPublicAsync(string token, string fieldPath, string fileName, Stream content, CancellationToken ct)
    {
        if (await links.ResolveAsync(token, ct) is not var (_, form, entity) || PublicFormService.UploadField(entity, form, fieldPath) is not { } field)
        {
            return new FileUploadResult(null, "此表单不接受该上传 / not an upload field of this form");
        }

        var (stored, error) = await files.SaveAsync(new FileUpload(fileName, content, field, null, token), ct);
        return new FileUploadResult(stored is null ? null : View(stored, token), error);
    }

    public async Task<IReadOnlyList<UploadedFileView>> DescribeAsync(IReadOnlyCollection<string> ids, string? publicToken, CancellationToken ct) =>
        (await files.FindAsync(ids.Where(FileStore.IsId).ToList(), ct))
            .Where(f => publicToken is null || f.PublicFormToken == publicToken)
            .Select(f => View(f, publicToken))
            .ToList();

    private static UploadedFileView View(StoredFile file, string? token) =>
        new(file.Id, file.Name, file.ContentType, file.Size, token is null ? $"/api/files/{file.Id}" : $"/api/public/forms/{token}/files/{file.Id}");
}
