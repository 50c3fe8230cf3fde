using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Files;

namespace Platform.Runtime.Api;

/// <summary>
/// Uploads of signed-in users: <c>POST /api/files</c> (multipart: <c>file</c>, and <c>app</c>, <c>entity</c>, <c>field</c> naming
/// the upload field whose rules apply) → 201 <c>{ fileId, url, name, size, contentType }</c>; <c>GET /api/files/{id}</c> serves
/// it with its own content type, nosniff, and inline only for images and videos, to those who may read it (<see cref="Execution.Access.FileReadAccess"/>).
/// </summary>
public static class FilesEndpoints
{
    public static RouteGroupBuilder MapFilesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/files").RequireAuthorization().WithTags("Files");
        group.MapPost("/", UploadAsync).WithName("UploadFile").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(FileStore.HardLimitBytes + 64 * 1024));
        group.MapGet("/{id}", DownloadAsync).WithName("DownloadFile");
        return group;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, [FromServices] AppCatalog catalog, [FromServices] FileStore files, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return Problems.Validation("file", "须以 multipart/form-data 上传，字段名 file / upload as multipart/form-data with a 'file' part");
        }

        if (await ReadFormAsync(http) is not { } form)
        {
            return Problems.BadRequest("无法解析的 multipart 请求体 / unreadable multipart body");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return Problems.Validation("file", "缺少文件 / the 'file' part is missing");
        }

        Platform.Core.Metadata.FieldDefinition? field = null;
        if (form["app"].ToString() is { Length: > 0 } appKey)
        {
            var app = await catalog.GetAsync(appKey, ct);
            var entity = app?.FindEntity(form["entity"].ToString());
            if (entity is null)
            {
                return Problems.Validation("entity", $"没有实体「{form["entity"]}」/ unknown app or entity");
            }

            field = FileStore.FindUploadField(entity, form["field"].ToString());
            if (field is null)
            {
                return Problems.Validation("field", $"「{form["field"]}」不是上传字段 / not an upload field of {entity.Key}");
            }
        }

        await using var content = file.OpenReadStream();
        var (stored, error) = await files.SaveAsync(new FileUpload(file.FileName, content, field, RecordsEndpoints.UserName(http.User), null), ct);
        return stored is null ? Problems.Validation("file", error!) : Created(stored, $"/api/files/{stored.Id}");
    }

    private static async Task<IResult> DownloadAsync(string id, HttpContext http, [FromServices] FileStore files, [FromServices] Execution.Access.FileReadAccess access, CancellationToken ct)
    {
        if (await files.OpenAsync(id, ct) is not { } opened)
        {
            return Problems.NotFound("没有这个文件 / no such file");
        }

        // A file the caller may not read answers exactly like a missing one.
        if (!await access.MayReadAsync(opened.File, http.User, ct))
        {
            await opened.Content.DisposeAsync();
            return Problems.NotFound("没有这个文件 / no such file");
        }

        return Serve(http, opened.File, opened.Content);
    }

    /// <summary>The multipart form, or null when it cannot be parsed (a CR LF in a file name, a broken boundary): a 400, not a 500.</summary>
    internal static async Task<IFormCollection?> ReadFormAsync(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return null;
        }
    }

    internal static IResult Created(StoredFile file, string url) =>
        TypedResults.Created(url, new { fileId = file.Id, url, name = file.Name, size = file.Size, contentType = file.ContentType });

    /// <summary>Serves stored bytes safely: the allow-list's content type (never the client's), nosniff, a sandbox CSP, attachment unless image or video.</summary>
    internal static IResult Serve(HttpContext http, StoredFile file, Stream content)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        http.Response.Headers.CacheControl = "private, max-age=86400";
        var kind = FileKinds.ForName(file.Name);
        var inline = kind?.Inline == true;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(file.Name);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(content, file.ContentType, enableRangeProcessing: true);
    }
}
