using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Core.Printing;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Printing;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Api;

/// <summary>
/// Printing: <c>GET /api/apps/{app}/print/{template}?ids=a,b,c</c> answers a complete print-ready HTML page (one A4
/// sheet per record, at most <see cref="PrintService.MaxRecords"/>) under a CSP that allows no inline script and loads
/// nothing from elsewhere; <c>GET /api/apps/{app}/print-templates?entity=</c> lists the templates.
/// </summary>
public static class PrintEndpoints
{
    public static IEndpointRouteBuilder MapPrintApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}").RequireAuthorization().WithTags("Printing");
        group.MapGet("/print-templates", ListAsync).WithName("ListPrintTemplates");
        group.MapGet("/print-templates/{key}", GetAsync).WithName("GetPrintTemplate");
        group.MapPut("/print-templates/{key}", PublishAsync).WithName("PublishPrintTemplate").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        group.MapGet("/print/{template}", PrintAsync).WithName("PrintRecords");
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, [FromQuery] string? entity, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return Problems.NotFound($"没有应用 '{app}' / no such app");
        }

        if (!string.IsNullOrEmpty(entity) && definition.FindEntity(entity) is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有实体 '{entity}' / no such entity");
        }

        return TypedResults.Ok(PrintService.Templates(definition, entity).Select(t => new PrintTemplateDto(t.Key, t.Entity, t.Label, t.LabelEn, t.Paper)).ToList());
    }

    private static async Task<IResult> GetAsync(string app, string key, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindPrintTemplate(key) is { } template
            ? TypedResults.Text(JsonSerializer.Serialize(template, MetadataJson.Options), "application/json; charset=utf-8")
            : Problems.NotFound($"应用 '{app}' 中没有打印模板 '{key}' / no such print template");

    /// <summary><c>PUT …/print-templates/{key}</c>: publishes the template as a new app version, or 422 with each problem at its path (<c>html</c>, <c>entity</c>…).</summary>
    private static async Task<IResult> PublishAsync(string app, string key, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (definition, problem) = await JsonBody.ReadDefinitionAsync<PrintTemplateDefinition>(http.Request, key, d => d.Key, "打印模板", ct);
        if (problem is not null)
        {
            return problem;
        }

        var (published, problems) = await importer.PublishPrintTemplateAsync(app, definition!, RecordsEndpoints.UserName(http.User), ct);
        return problems.Count == 0
            ? TypedResults.Ok(new PrintTemplateDto(published!.Key, published.Entity, published.Label, published.LabelEn, published.Paper))
            : ReportsEndpoints.PublishProblem(problems, "The print template is invalid; nothing was published / 打印模板校验失败，未发布");
    }

    private static async Task<IResult> PrintAsync(
        string app, string template, [FromQuery] string? ids, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] PrintService printing,
        [FromServices] PlatformSettings settings, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return Problems.NotFound($"没有应用 '{app}' / no such app");
        }

        if (definition.FindPrintTemplate(template) is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有打印模板 '{template}' / no such print template");
        }

        if (PrintService.ParseIds(ids, out var error) is not { } list)
        {
            return Problems.Validation("ids", error!);
        }

        var outcome = await printing.RenderAsync(definition, template, list, PublicFormsEndpoints.BaseUrl(http.Request, settings), http.User, ct);
        if (outcome.Problems is { } problems)
        {
            return Problems.Validation(new Dictionary<string, IReadOnlyList<string>> { ["template"] = problems }, "The print template is invalid / 打印模板有误");
        }

        if (outcome.MissingIds is { Count: > 0 } missing)
        {
            return Problems.NotFound($"没有这些记录 / no such records: {string.Join(", ", missing)}");
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = PrintService.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(outcome.Html!, "text/html; charset=utf-8");
    }
}
