using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>
/// Reports: list, definition, data (<c>{ columns, rows, series }</c> with viewer parameters and filters) and
/// drill-down (the records one point stands for, as the records list returns them).
/// </summary>
public static class ReportsEndpoints
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/reports").RequireAuthorization().WithTags("Reports");
        group.MapGet("/", ListAsync).WithName("ListReports");
        group.MapGet("/{report}", GetAsync).WithName("GetReport");
        group.MapPut("/{report}", PublishAsync).WithName("PublishReport").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        group.MapGet("/{report}/data", DataAsync).WithName("GetReportData");
        group.MapGet("/{report}/drill", DrillAsync).WithName("DrillReport");
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is { } definition
            ? TypedResults.Ok(definition.Reports.Select(r => new
            {
                r.Key,
                r.Name,
                r.NameEn,
                r.Entity,
                r.Flow,
                Chart = r.Chart.Kind,
                r.Rollup,
                Parameters = r.Parameters.Select(p => new { p.Key, p.Field, p.Op, p.Label }),
            }))
            : Problems.NotFound($"没有应用 '{app}'");

    private static async Task<IResult> GetAsync(string app, string report, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindReport(report) is { } definition
            ? TypedResults.Text(JsonSerializer.Serialize(definition, MetadataJson.Options), "application/json; charset=utf-8")
            : Problems.NotFound($"应用 '{app}' 中没有报表 '{report}'");

    private static async Task<IResult> PublishAsync(string app, string report, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (definition, problem) = await JsonBody.ReadDefinitionAsync<Core.Reports.Definitions.ReportDefinition>(http.Request, report, d => d.Key, "报表", ct);
        if (problem is not null)
        {
            return problem;
        }

        var (published, problems) = await importer.PublishReportAsync(app, definition!, RecordsEndpoints.UserName(http.User), ct);
        return problems.Count == 0
            ? TypedResults.Ok(new { published!.Key, published.Name })
            : PublishProblem(problems, "The report is invalid; nothing was published / 报表校验失败，未发布");
    }

    /// <summary>A publish refused: 404 for a missing app, else 422 listing each problem at its path.</summary>
    public static IResult PublishProblem(IReadOnlyList<Platform.Templates.PackageProblem> problems, string title) =>
        problems.Count == 1 && problems[0].Path == "$.app"
            ? Problems.NotFound(problems[0].Message)
            : Problems.Validation(problems.GroupBy(p => p.Path.TrimStart('$', '.')).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList()), title);

    private static async Task<IResult> DataAsync(
        string app, string report, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] ReportService reports, [FromServices] TimeProvider time, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindReport(report);
        if (found is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有报表 '{report}'");
        }

        try
        {
            return TypedResults.Ok(await reports.RunAsync(definition!, found, await ReportQuery.RequestAsync(http, definition!, time.GetUtcNow(), ct), ct));
        }
        catch (ReportCompileException e)
        {
            return Problems.Validation(e.Errors, "The report cannot be computed with these filters / 报表筛选条件无效");
        }
    }

    private static async Task<IResult> DrillAsync(
        string app, string report, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] ReportService reports, [FromServices] FlowStore flows,
        [FromServices] TimeProvider time, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindReport(report);
        if (found is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有报表 '{report}'");
        }

        return await DrillListAsync(definition!, found, http, reports, flows, time, ct);
    }

    /// <summary>The records behind a point: used by <c>/drill</c> and by the records list with <c>drill={report}</c>.</summary>
    public static async Task<IResult> DrillListAsync(
        AppDefinition app, Core.Reports.Definitions.ReportDefinition report, HttpContext http, ReportService reports, FlowStore flows, TimeProvider time, CancellationToken ct)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, List<string>>();
        var (page, pageSize) = RecordQueryCompiler.Paging(query["page"], query["pageSize"], errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }

        try
        {
            var (entity, result) = await reports.DrillAsync(app, report, await ReportQuery.RequestAsync(http, app, time.GetUtcNow(), ct), ReportQuery.Point(query), query["measure"].LastOrDefault(), page, pageSize, ct);
            var items = await RecordsEndpoints.WithFlowsAsync(app, entity, flows, result.Items, ct);
            var url = $"/api/apps/{app.Key}/entities/{entity}/records?drill={report.Key}"
                + string.Concat(query.Where(q => q.Key is not ("page" or "pageSize" or "drill")).SelectMany(q => q.Value.Select(v => $"&{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}")));
            var permit = await http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>().ForAsync(app.FindEntity(entity)!, http.User, ct);
            return TypedResults.Ok(new { entity, recordsUrl = url, items = items.Select(r => RecordDto.From(permit.Visible(r))).ToList(), total = result.Total });
        }
        catch (ReportCompileException e)
        {
            return Problems.Validation(e.Errors, "The point cannot be drilled into / 下钻条件无效");
        }
    }
}
