using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Templates;

namespace Platform.Runtime.Api;

/// <summary>Apps: list, published metadata, template import and export.</summary>
public static class AppsEndpoints
{
    /// <summary>Largest template package accepted by import.</summary>
    public const long MaxPackageBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapAppsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps").RequireAuthorization().WithTags("Apps");
        group.MapGet("/", ListAsync).WithName("ListApps");
        group.MapGet("/{app}", GetAsync).WithName("GetApp");
        group.MapPost("/import", ImportAsync).WithName("ImportApp").RequireAuthorization(Security.PlatformRoles.DesignerPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxPackageBytes));
        group.MapPost("/", CreateAsync).WithName("CreateApp").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        group.MapGet("/templates", TemplatesAsync).WithName("ListTemplates").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        group.MapPost("/import/preview", PreviewAsync).WithName("PreviewImport").RequireAuthorization(Security.PlatformRoles.DesignerPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxPackageBytes));
        group.MapGet("/{app}/export", ExportAsync).WithName("ExportApp").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        return group;
    }

    private static async Task<IResult> ListAsync([FromServices] AppCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListAsync(ct));

    private static async Task<IResult> GetAsync(string app, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        return definition is null
            ? Problems.NotFound($"No app '{app}'.")
            : Package(PackageMapper.ToPackage(definition));
    }

    private static async Task<IResult> ExportAsync(string app, HttpContext http, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return Problems.NotFound($"No app '{app}'.");
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{app}-v{definition.Version}.json\"";
        return Package(PackageMapper.ToPackage(definition));
    }

    private static async Task<IResult> ImportAsync(HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await importer.ImportAsync(body!, RecordsEndpoints.UserName(http.User), ct);
        if (result.Problems.Count > 0)
        {
            var errors = result.Problems
                .GroupBy(p => p.Path)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList());
            return Problems.Validation(errors, "The package is invalid; nothing was imported / 模板包校验失败，未导入任何内容");
        }

        var response = new ImportResultDto(result.AppKey!, result.Version, result.Created, result.SeededRecords);
        return result.Created
            ? TypedResults.Created($"/api/apps/{result.AppKey}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>
    /// <c>POST /api/apps</c> <c>{ key, name, nameEn?, description?, template? }</c>: a blank app, or a copy of a bundled
    /// template (<c>GET /api/apps/templates</c>) under a key of its own. An installed key is a 422 on <c>key</c>.
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpContext http, [FromServices] AppCreator creator, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        string? Text(string name) => body![name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : null;
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (string.IsNullOrEmpty(Text("key")))
        {
            errors["key"] = ["应用标识不能为空 / the key is required"];
        }

        if (string.IsNullOrEmpty(Text("name")) && string.IsNullOrEmpty(Text("template")))
        {
            errors["name"] = ["应用名称不能为空 / the name is required"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "The app is invalid; nothing was created / 应用信息有误，未创建");
        }

        var result = await creator.CreateAsync(new NewApp(Text("key"), Text("name"), Text("nameEn"), Text("description"), Text("template")), RecordsEndpoints.UserName(http.User), ct);
        if (result.Problems.Count > 0)
        {
            return Problems.Validation(
                result.Problems.GroupBy(p => FieldOf(p.Path)).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList()),
                "The app is invalid; nothing was created / 应用信息有误，未创建");
        }

        return TypedResults.Created($"/api/apps/{result.AppKey}", new ImportResultDto(result.AppKey!, result.Version, result.Created, result.SeededRecords));
    }

    /// <summary>A problem of the created package named by the request's field: <c>$.app.key</c> → <c>key</c>.</summary>
    private static string FieldOf(string path) => path.StartsWith("$.app.", StringComparison.Ordinal) ? path["$.app.".Length..] : path.TrimStart('$', '.');

    private static async Task<IResult> TemplatesAsync([FromServices] TemplateLibrary templates, CancellationToken ct) =>
        TypedResults.Ok((await templates.ListAsync(ct)).Select(t => new { t.Key, t.Name, t.NameEn, t.Description }));

    /// <summary><c>POST /api/apps/import/preview</c>: the package checked like an import, nothing written.</summary>
    private static async Task<IResult> PreviewAsync(HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var preview = await importer.PreviewAsync(body!, RecordsEndpoints.UserName(http.User), ct);
        if (preview.Problems.Count > 0)
        {
            var errors = preview.Problems
                .GroupBy(p => p.Path)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList());
            return Problems.Validation(errors, "The package is invalid; it cannot be imported / 模板包校验失败，无法导入");
        }

        return TypedResults.Ok(ImportPreviewDto.From(preview));
    }

    private static IResult Package(AppPackage package) =>
        TypedResults.Text(JsonSerializer.Serialize(package, MetadataJson.Options), "application/json; charset=utf-8");
}
