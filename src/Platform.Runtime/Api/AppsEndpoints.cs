using System.Text.Json;
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

    private static IResult Package(AppPackage package) =>
        TypedResults.Text(JsonSerializer.Serialize(package, MetadataJson.Options), "application/json; charset=utf-8");
}
