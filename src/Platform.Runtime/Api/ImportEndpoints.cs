using System.Text;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Imports;

namespace Platform.Runtime.Api;

/// <summary>
/// CSV and Excel import of records with a per-row error report, and the empty template to fill in:
/// <c>POST /api/apps/{app}/entities/{entity}/import</c>, <c>GET …/import/template?format=csv|xlsx</c>.
/// </summary>
public static class ImportEndpoints
{
    /// <summary>Largest file accepted.</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    public static RouteGroupBuilder MapImportApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/entities/{entity}/import").RequireAuthorization().WithTags("Import");

        // Room for the multipart envelope around a file of the largest accepted size, so that size gets the clear 422 below.
        group.MapPost("/", ImportAsync).WithName("ImportRecords").WithMetadata(new RequestSizeLimitAttribute(MaxFileBytes + 64 * 1024));
        group.MapGet("/template", TemplateAsync).WithName("ImportTemplate");
        return group;
    }

    private static async Task<IResult> ImportAsync(
        string app, string entity, [FromQuery] string? mode, [FromQuery] string? dryRun, HttpContext http,
        [FromServices] AppCatalog catalog, [FromServices] RecordImporter importer, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await RecordsEndpoints.ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        // An import creates records: the same permission as the records API, checked before the file is read.
        var permit = await http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>().ForAsync(entityDefinition!, http.User, ct);
        if (!permit.Access.CanCreate)
        {
            return Problems.Forbidden($"你的角色不能新建{entityDefinition!.Label} / your roles may not create {entityDefinition.Key} records");
        }

        ImportMode importMode;
        switch (mode?.Trim().ToLowerInvariant())
        {
            case null or "" or "valid-rows": importMode = ImportMode.ValidRows; break;
            case "all-or-nothing": importMode = ImportMode.AllOrNothing; break;
            default: return Problems.Validation("mode", "须为 valid-rows 或 all-or-nothing / must be valid-rows or all-or-nothing");
        }

        var isDryRun = false;
        if (!string.IsNullOrEmpty(dryRun) && !bool.TryParse(dryRun, out isDryRun))
        {
            return Problems.Validation("dryRun", "须为 true 或 false / must be true or false");
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.Validation("file", "请以 multipart/form-data 上传一个 .csv 或 .xlsx 文件 / upload one .csv or .xlsx file as multipart/form-data");
        }

        IFormFileCollection files;
        try
        {
            files = (await http.Request.ReadFormAsync(ct)).Files;
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? TooLarge() : Problems.BadRequest($"Unreadable form: {e.Message}");
        }

        if (files.Count != 1)
        {
            return Problems.Validation("file", "请上传且只上传一个文件 / upload exactly one file");
        }

        var file = files[0];
        if (file.Length > MaxFileBytes)
        {
            return TooLarge();
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        ImportSheet sheet;
        try
        {
            await using var stream = file.OpenReadStream();
            using var buffer = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(buffer, ct);
            sheet = extension switch
            {
                ".csv" => ImportSheetReader.ReadCsv(buffer.ToArray()),
                ".xlsx" => ImportSheetReader.ReadXlsx(new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length)),
                _ => throw new ImportFileException($"只支持 .csv 和 .xlsx 文件，收到「{file.FileName}」/ only .csv and .xlsx files are accepted"),
            };
        }
        catch (ImportFileException e)
        {
            return Problems.Validation("file", e.Message);
        }

        var columnErrors = importer.ResolveColumns(entityDefinition!, sheet, out var columns);
        if (columnErrors.Count > 0)
        {
            return Problems.Validation(columnErrors, "表头中有无法识别的列 / the header names columns that are not fields");
        }

        var readOnly = columns.OfType<Platform.Core.Metadata.FieldDefinition>().Where(f => permit.Access.Field(f.Key) != Platform.Core.Access.FieldAccess.Write).ToList();
        if (readOnly.Count > 0)
        {
            return RecordsEndpoints.ToProblem(new CommandResult<bool>(
                CommandOutcome.Forbidden, false, readOnly.ToDictionary(f => f.Key, _ => (IReadOnlyList<string>)["你的角色不能修改这个字段 / your role may not change this field"]), "fields"));
        }

        var report = await importer.ImportAsync(definition!, entityDefinition!, sheet, columns, importMode, isDryRun, RecordsEndpoints.UserName(http.User), ct,
            Execution.Access.LookupScope.For(definition!, permit.Caller));
        return TypedResults.Ok(report);
    }

    private static async Task<IResult> TemplateAsync(
        string app, string entity, [FromQuery] string? format, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordImporter importer, CancellationToken ct)
    {
        var (_, entityDefinition, problem) = await RecordsEndpoints.ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        // Only the columns this caller may fill: the template must not list fields hidden from them.
        var permit = await http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>().ForAsync(entityDefinition!, http.User, ct);
        if (!permit.Access.CanCreate)
        {
            return Problems.Forbidden($"你的角色不能新建{entityDefinition!.Label} / your roles may not create {entityDefinition.Key} records");
        }

        var headers = importer.ImportableFields(entityDefinition!).Where(f => permit.Access.Field(f.Key) == Platform.Core.Access.FieldAccess.Write).Select(RecordImporter.HeaderOf).ToList();
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                // With a BOM, so Excel opens the UTF-8 labels correctly.
                var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CsvText.Line(headers) + "\r\n")).ToArray();
                return TypedResults.File(csv, "text/csv; charset=utf-8", $"{entity}-import.csv");
            case "xlsx":
                var row = new Dictionary<string, object?>();
                for (var i = 0; i < headers.Count; i++)
                {
                    row[$"c{i}"] = headers[i];
                }

                using (var stream = new MemoryStream())
                {
                    await stream.SaveAsAsync(new[] { row }, printHeader: false, excelType: ExcelType.XLSX, cancellationToken: ct);
                    return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{entity}-import.xlsx");
                }

            default:
                return Problems.Validation("format", "须为 csv 或 xlsx / must be csv or xlsx");
        }
    }

    private static IResult TooLarge() =>
        Problems.Validation("file", $"文件不能超过 {MaxFileBytes / 1024 / 1024} MB / the file must not exceed {MaxFileBytes / 1024 / 1024} MB");
}
