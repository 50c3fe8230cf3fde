using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Files;
using Platform.Runtime.Execution.PublicForms;
using Platform.Runtime.Hosting;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Public forms. Designers: <c>GET /api/apps/{app}/public-forms</c> → <c>[{ form, entity, title, token, url, qrCodeUrl, embedHtml }]</c>,
/// <c>POST …/public-forms/{form}/renew</c> (new token, old link dead). Anyone with the link: <c>GET /api/public/forms/{token}</c>,
/// <c>POST /api/public/forms/{token}</c> <c>{ data }</c> → 201 <c>{ trackingNo }</c>, uploads at <c>…/{token}/files</c>, the QR code
/// at <c>…/{token}/qr.png</c>. Rate-limited per client address. A per-record link (a signed 55-character token, e.g. a CSAT
/// survey about one request) answers the same GET with <c>subject: { entity, number }</c> and <c>answered</c>, its POST fills
/// the subject from the token and answers 409 when the record already has an answer; a bad or expired one is 404.
/// </summary>
public static class PublicFormsEndpoints
{
    public const string RateLimitPolicy = "public-forms";

    public static IEndpointRouteBuilder MapPublicFormsApi(this IEndpointRouteBuilder routes)
    {
        var design = routes.MapGroup("/api/apps/{app}/public-forms").RequireAuthorization(PlatformRoles.DesignerPolicy).WithTags("Public forms");
        design.MapGet("/", ListAsync).WithName("ListPublicForms");
        design.MapPost("/{form}/renew", RenewAsync).WithName("RenewPublicFormLink");

        var open = routes.MapGroup("/api/public/forms/{token}").AllowAnonymous().RequireRateLimiting(RateLimitPolicy).WithTags("Public forms");
        open.MapGet("/", GetAsync).WithName("GetPublicForm");
        open.MapPost("/", SubmitAsync).WithName("SubmitPublicForm");
        open.MapPost("/files", UploadAsync).WithName("UploadPublicFile").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(FileStore.HardLimitBytes + 64 * 1024));
        open.MapGet("/files/{id}", DownloadAsync).WithName("DownloadPublicFile");
        open.MapGet("/qr.png", QrAsync).WithName("PublicFormQrCode");
        return routes;
    }

    /// <summary>The base address of public links: <c>Platform:PublicBaseUrl</c>, else the address this request came in on.</summary>
    public static string BaseUrl(HttpRequest request, PlatformSettings settings) =>
        settings.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static async Task<IResult> ListAsync(
        string app, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] PublicFormLinks links, [FromServices] PlatformSettings settings, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return Problems.NotFound($"没有应用「{app}」/ no app '{app}'");
        }

        var baseUrl = BaseUrl(http.Request, settings);
        var found = await links.ListAsync(definition, RecordsEndpoints.UserName(http.User), ct);
        return TypedResults.Ok(found.Select(l => PublicFormService.Describe(definition, l, baseUrl)));
    }

    private static async Task<IResult> RenewAsync(
        string app, string form, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] PublicFormLinks links, [FromServices] PlatformSettings settings,
        CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition || definition.PublicForms.All(f => f.Key != form || f.SubjectField is not null))
        {
            return Problems.NotFound($"没有公开表单「{form}」/ no public form '{form}'");
        }

        var link = await links.RenewAsync(app, form, RecordsEndpoints.UserName(http.User), ct);
        return TypedResults.Ok(PublicFormService.Describe(definition, link, BaseUrl(http.Request, settings)));
    }

    private static async Task<IResult> GetAsync(
        string token, HttpContext http, [FromServices] PublicFormLinks links, [FromServices] RecordFormLinks recordLinks, [FromServices] PublicFormService forms,
        [FromServices] Execution.Customers.TrackingLinks tracking, CancellationToken ct)
    {
        if (RecordFormLinks.IsRecordToken(token))
        {
            http.Response.Headers.CacheControl = "no-store";
            if (await recordLinks.ResolveAsync(token, ct) is not { } target)
            {
                return NotAvailable();
            }

            return TypedResults.Ok(new
            {
                app = target.App.Key,
                form = target.Form.Key,
                entity = target.Entity.Key,
                title = target.Form.Title,
                titleEn = target.Form.TitleEn,
                description = target.Form.Description,
                successMessage = target.Form.SuccessMessage,
                fields = PublicFormService.Fields(target.Entity, target.Form),
                subject = new
                {
                    entity = target.SubjectEntity.Key,
                    label = target.SubjectEntity.Label,
                    labelEn = target.SubjectEntity.LabelEn,
                    number = target.SubjectNumber,

                    // The record's own tracking link (null when the portal does not track its entity): a message needs only this form's link.
                    trackingUrl = await tracking.CreateAsync(target.App, target.SubjectEntity.Key, target.SubjectId, ct),
                },
                answered = await forms.AnsweredAsync(target, ct),
            });
        }

        if (await links.ResolveAsync(token, ct) is not var (app, form, entity))
        {
            return NotAvailable();
        }

        return TypedResults.Ok(new
        {
            app = app.Key,
            form = form.Key,
            entity = entity.Key,
            title = form.Title,
            titleEn = form.TitleEn,
            description = form.Description,
            successMessage = form.SuccessMessage,
            fields = PublicFormService.Fields(entity, form),
        });
    }

    private static async Task<IResult> SubmitAsync(string token, HttpContext http, [FromServices] PublicFormService forms, CancellationToken ct)
    {
        var (data, problem) = await JsonBody.ReadDataAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await forms.SubmitAsync(token, data!, ct);
        if (result.NotFound)
        {
            return NotAvailable();
        }

        if (result.Conflict is { } conflict)
        {
            return TypedResults.Problem(title: "Already answered / 已提交过", detail: conflict, statusCode: StatusCodes.Status409Conflict);
        }

        return result.Ok
            ? TypedResults.Created($"/api/public/track/{Uri.EscapeDataString(result.TrackingNo!)}", new { trackingNo = result.TrackingNo })
            : Problems.Validation(result.Errors!);
    }

    private static async Task<IResult> UploadAsync(string token, HttpContext http, [FromServices] PublicFormLinks links, [FromServices] FileStore files, CancellationToken ct)
    {
        if (await links.ResolveAsync(token, ct) is not var (_, form, entity))
        {
            return NotAvailable();
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.Validation("file", "须以 multipart/form-data 上传，字段名 file / upload as multipart/form-data with a 'file' part");
        }

        if (await FilesEndpoints.ReadFormAsync(http) is not { } body)
        {
            return Problems.BadRequest("无法解析的 multipart 请求体 / unreadable multipart body");
        }

        var path = body["field"].ToString();
        var field = PublicFormService.UploadField(entity, form, path);
        if (field is null)
        {
            return Problems.Validation("field", $"「{path}」不是此表单的上传字段 / not an upload field of this form");
        }

        if (body.Files.GetFile("file") is not { } file)
        {
            return Problems.Validation("file", "缺少文件 / the 'file' part is missing");
        }

        await using var content = file.OpenReadStream();
        var (stored, error) = await files.SaveAsync(new FileUpload(file.FileName, content, field, null, token), ct);
        return stored is null ? Problems.Validation("file", error!) : FilesEndpoints.Created(stored, $"/api/public/forms/{token}/files/{stored.Id}");
    }

    // An anonymous visitor sees only what was uploaded through this same link (their own preview), nothing else.
    private static async Task<IResult> DownloadAsync(string token, string id, HttpContext http, [FromServices] FileStore files, CancellationToken ct)
    {
        if (await files.OpenAsync(id, ct) is not { } opened)
        {
            return Problems.NotFound("没有这个文件 / no such file");
        }

        if (opened.File.PublicFormToken != token)
        {
            await opened.Content.DisposeAsync();
            return Problems.NotFound("没有这个文件 / no such file");
        }

        return FilesEndpoints.Serve(http, opened.File, opened.Content);
    }

    private static async Task<IResult> QrAsync(string token, HttpContext http, [FromServices] PublicFormLinks links, [FromServices] PlatformSettings settings, CancellationToken ct)
    {
        if (await links.ResolveAsync(token, ct) is null)
        {
            return NotAvailable();
        }

        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(PublicFormService.QrPng(PublicFormService.Url(BaseUrl(http.Request, settings), token)), "image/png", "qrcode.png");
    }

    private static IResult NotAvailable() => Problems.NotFound("此表单不存在或已停用 / this form is not available");
}
