using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>
/// Downloads as CSV or Excel (<c>format=csv|xlsx</c>, default xlsx), named after what they hold
/// (<c>Content-Disposition: attachment</c> with a UTF-8 <c>filename*</c>):
/// <c>GET /api/apps/{app}/reports/{report}/export</c> takes the viewer parameters and <c>filter=</c> of
/// <c>/data</c> and gives its rows with labels; <c>GET /api/apps/{app}/entities/{entity}/records/export</c> takes the
/// list's <c>filter=</c> and <c>sort=</c> and gives every matching record (at most <see cref="RecordExporter.MaxRows"/>).
/// </summary>
public static class ExportsEndpoints
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/apps/{app}/reports/{report}/export", ReportAsync).RequireAuthorization().WithTags("Reports").WithName("ExportReport");
        routes.MapGet("/api/apps/{app}/entities/{entity}/records/export", RecordsAsync).RequireAuthorization().WithTags("Records").WithName("ExportRecords");
        return routes;
    }

    private static async Task<IResult> ReportAsync(
        string app, string report, [FromQuery] string? format, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] ReportService reports,
        [FromServices] TimeProvider time, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindReport(report);
        if (found is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有报表 '{report}'");
        }

        if (!ExportFormats.TryParse(format, out var exportFormat))
        {
            return Problems.Validation("format", ExportFormats.Invalid);
        }

        ReportData data;
        try
        {
            data = await reports.RunAsync(definition!, found, await ReportQuery.RequestAsync(http, definition!, time.GetUtcNow(), ct), ct);
        }
        catch (ReportCompileException e)
        {
            return Problems.Validation(e.Errors, "The report cannot be computed with these filters / 报表筛选条件无效");
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(ReportExport.ToBytes(data, exportFormat), ExportFormats.ContentType(exportFormat), ExportFormats.FileName(found.Name, exportFormat));
    }

    private static async Task<IResult> RecordsAsync(
        string app, string entity, [FromQuery] string[]? filter, [FromQuery] string? sort, [FromQuery] string? format, HttpContext http,
        [FromServices] AppCatalog catalog, [FromServices] RecordExporter exporter, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await RecordsEndpoints.ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        var permit = await http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>().ForAsync(entityDefinition!, http.User, ct);
        var (query, errors) = RecordQueryCompiler.Compile(app, permit.VisibleEntity, filter ?? [], sort, null, null);
        if (!ExportFormats.TryParse(format, out var exportFormat))
        {
            errors["format"] = [ExportFormats.Invalid];
        }

        if (query is null || errors.Count > 0)
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }

        await using var run = await exporter.OpenAsync(definition!, permit.VisibleEntity, permit.Restrict(query), ct, Execution.Access.RecordAccess.HiddenLabels(definition!, permit.Caller));
        if (run.Total > RecordExporter.MaxRows)
        {
            return Problems.Validation(
                "filter",
                $"最多导出 {RecordExporter.MaxRows} 条记录，当前条件匹配 {run.Total} 条，请缩小筛选范围 / at most {RecordExporter.MaxRows} records per export, these filters match {run.Total}; narrow them");
        }

        var response = http.Response;
        response.ContentType = ExportFormats.ContentType(exportFormat);
        response.Headers.CacheControl = "no-store";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(ExportFormats.FileName(entityDefinition!.Label, exportFormat));
        response.Headers.ContentDisposition = disposition.ToString();
        if (exportFormat == ExportFormat.Csv)
        {
            await CsvExport.WriteAsync(response.Body, run.Headers, run.RowsAsync(ct), ct);
            return Results.Empty;
        }

        // MiniExcel writes synchronously to a seekable stream: build the workbook in a temp file, then send it.
        var path = Path.Combine(Path.GetTempPath(), $"platform-export-{Guid.NewGuid():N}.xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        await XlsxExport.WriteAsync(file, run.Headers, run.RowsAsync(ct), entityDefinition.Label, ct);
        response.ContentLength = file.Length;
        file.Position = 0;
        await file.CopyToAsync(response.Body, ct);
        return Results.Empty;
    }
}
