using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;

namespace Platform.Runtime.Api;

/// <summary>Dashboards: list, definition, and all widgets' data in one call under the dashboard-wide filters (<c>?period=2026-01-01..2026-06-30&amp;region=east</c>).</summary>
public static class DashboardsEndpoints
{
    public static IEndpointRouteBuilder MapDashboardsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/dashboards").RequireAuthorization().WithTags("Dashboards");
        group.MapGet("/", ListAsync).WithName("ListDashboards");
        group.MapGet("/{dashboard}", GetAsync).WithName("GetDashboard");
        group.MapPut("/{dashboard}", PublishAsync).WithName("PublishDashboard").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        group.MapGet("/{dashboard}/data", DataAsync).WithName("GetDashboardData");
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is { } definition
            ? TypedResults.Ok(definition.Dashboards.Select(d => new { d.Key, d.Name, d.NameEn, Widgets = d.Widgets.Count }))
            : Problems.NotFound($"没有应用 '{app}'");

    private static async Task<IResult> GetAsync(string app, string dashboard, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindDashboard(dashboard) is { } definition
            ? TypedResults.Text(JsonSerializer.Serialize(definition, MetadataJson.Options), "application/json; charset=utf-8")
            : Problems.NotFound($"应用 '{app}' 中没有仪表盘 '{dashboard}'");

    private static async Task<IResult> PublishAsync(string app, string dashboard, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (definition, problem) = await JsonBody.ReadDefinitionAsync<Core.Reports.Definitions.DashboardDefinition>(http.Request, dashboard, d => d.Key, "仪表盘", ct);
        if (problem is not null)
        {
            return problem;
        }

        var (published, problems) = await importer.PublishDashboardAsync(app, definition!, RecordsEndpoints.UserName(http.User), ct);
        return problems.Count == 0
            ? TypedResults.Ok(new { published!.Key, published.Name })
            : ReportsEndpoints.PublishProblem(problems, "The dashboard is invalid; nothing was published / 仪表盘校验失败，未发布");
    }

    private static async Task<IResult> DataAsync(string app, string dashboard, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] ReportService reports, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindDashboard(dashboard);
        if (found is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有仪表盘 '{dashboard}'");
        }

        var filters = found.Filters
            .Where(f => http.Request.Query.ContainsKey(f.Key))
            .ToDictionary(f => f.Key, f => http.Request.Query[f.Key].LastOrDefault() ?? string.Empty, StringComparer.Ordinal);
        var access = http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>();
        var rows = await access.ReportRowsAsync(definition!, http.User, ct);
        return TypedResults.Ok(await reports.DashboardAsync(definition!, found, filters, ct, rows, await access.HiddenLabelsAsync(definition!, http.User, ct)));
    }
}
