using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>Records CRUD: <c>/api/apps/{app}/entities/{entity}/records</c>.</summary>
public static class RecordsEndpoints
{
    public static RouteGroupBuilder MapRecordsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/entities/{entity}/records").RequireAuthorization().WithTags("Records");
        group.MapPost("/", CreateAsync).WithName("CreateRecord");
        group.MapGet("/", ListAsync).WithName("ListRecords");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetRecord");
        group.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateRecord");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteRecord");
        group.MapGet("/{id:guid}/audit", AuditAsync).WithName("GetRecordAudit");
        return group;
    }

    private static async Task<IResult> CreateAsync(string app, string entity, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordService records, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (data, bodyProblem) = await JsonBody.ReadDataAsync(http.Request, ct);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        if (RecordAccess.RefuseCreate(permit, data!) is { } refused)
        {
            return ToProblem(refused);
        }

        if (await Files(http).ForeignFilesAsync(entityDefinition!, data!, () => Task.FromResult<System.Text.Json.Nodes.JsonObject?>(null), http.User, ct) is { Count: > 0 } foreign)
        {
            return Problems.Validation(foreign);
        }

        var result = await records.CreateAsync(definition!, entityDefinition!, data!, UserName(http.User), ct, lookupScope: LookupScope.For(definition!, permit.Caller), creator: permit.Caller);
        if (result.Outcome != CommandOutcome.Ok)
        {
            return ToProblem(result);
        }

        var record = result.Value!;
        http.Response.Headers.ETag = ETag(record.Version);
        return TypedResults.Created($"/api/apps/{app}/entities/{entity}/records/{record.Id}", RecordDto.From(permit.Visible(record)));
    }

    private static async Task<IResult> ListAsync(
        string app, string entity, [FromQuery] string[]? filter, [FromQuery] string? sort, [FromQuery] string? page, [FromQuery] string? pageSize, [FromQuery] string? drill,
        HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordStore store, [FromServices] FlowStore flows, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (drill is not null)
        {
            // drill={report}&point.{dimension}=… lists the records one report point stands for.
            var report = definition!.FindReport(drill);
            if (report is null)
            {
                return Problems.Validation("drill", $"应用 '{app}' 中没有报表 '{drill}'");
            }

            var measure = report.Measures.FirstOrDefault(m => m.Key == http.Request.Query["measure"].LastOrDefault());
            measure = measure?.Kind == "ratio" ? report.Measures.FirstOrDefault(m => m.Key == measure.Numerator) : measure;
            var drillEntity = measure?.Entity ?? Platform.Core.Reports.ReportValidator.RootOf(definition, report)?.Key;
            if (drillEntity != entity)
            {
                return Problems.Validation("drill", $"报表 '{drill}' 的这个点列出的是 '{drillEntity}' 的记录，不是 '{entity}'");
            }

            return await ReportsEndpoints.DrillListAsync(
                definition, report, http, http.RequestServices.GetRequiredService<Execution.Reports.ReportService>(), flows, http.RequestServices.GetRequiredService<TimeProvider>(), ct);
        }

        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        var (query, errors) = RecordQueryCompiler.Compile(app, permit.VisibleEntity, filter ?? [], sort, page, pageSize);
        if (query is null)
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }

        var result = await store.ListAsync(permit.Restrict(query), ct);
        var items = await WithFlowsAsync(app, entity, catalog, flows, result.Items, ct);
        return TypedResults.Ok(new RecordListDto(items.Select(r => RecordDto.From(permit.Visible(r))).ToList(), result.Total));
    }

    private static async Task<IResult> GetAsync(
        string app, string entity, Guid id, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordStore store, [FromServices] FlowStore flows, CancellationToken ct)
    {
        var (_, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        var record = await store.GetAsync(app, entity, id, ct);
        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        if (record is null || !await Access(http).AllowsAsync(permit, permit.Access.Read, id, ct))
        {
            // Out of scope answers exactly like a missing record, so ids cannot be probed.
            return Problems.NotFound($"No {entity} record {id}.");
        }

        record = (await WithFlowsAsync(app, entity, catalog, flows, [record], ct))[0];
        var stepHidden = record.Flow is null ? [] : await Access(http).StepHiddenFieldsAsync(app, id, permit.Caller, ct);
        http.Response.Headers.ETag = ETag(record.Version);
        return TypedResults.Ok(RecordDto.From(record with { Data = permit.Visible(record.Data, stepHidden) }));
    }

    private static async Task<IResult> UpdateAsync(string app, string entity, Guid id, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordService records, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return Problems.PreconditionRequired("PATCH needs If-Match: <version> (the ETag of the record you edited).");
        }

        if (!TryParseVersion(ifMatch, out var expected))
        {
            return Problems.BadRequest($"If-Match '{ifMatch}' is not a record version.");
        }

        var (data, bodyProblem) = await JsonBody.ReadDataAsync(http.Request, ct);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        if (await Access(http).RefuseUpdateAsync(permit, app, id, data!, ct) is { } refused)
        {
            return ToProblem(refused);
        }

        var store = http.RequestServices.GetRequiredService<RecordStore>();
        if (await Files(http).ForeignFilesAsync(entityDefinition!, data!, async () => (await store.GetAsync(app, entity, id, ct))?.Data, http.User, ct) is { Count: > 0 } foreign)
        {
            return Problems.Validation(foreign);
        }

        var result = await records.UpdateAsync(definition!, entityDefinition!, id, expected, data!, UserName(http.User), ct, lookupScope: LookupScope.For(definition!, permit.Caller));
        if (result.Outcome != CommandOutcome.Ok)
        {
            return ToProblem(result);
        }

        http.Response.Headers.ETag = ETag(result.Value!.Version);
        return TypedResults.Ok(RecordDto.From(permit.Visible(result.Value)));
    }

    private static async Task<IResult> DeleteAsync(string app, string entity, Guid id, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordService records, CancellationToken ct)
    {
        var (definition, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        int? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrWhiteSpace(ifMatch) && ifMatch != "*")
        {
            if (!TryParseVersion(ifMatch, out var v))
            {
                return Problems.BadRequest($"If-Match '{ifMatch}' is not a record version.");
            }

            expected = v;
        }

        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        if (await Access(http).RefuseDeleteAsync(permit, app, id, ct) is { } refused)
        {
            return ToProblem(refused);
        }

        var result = await records.DeleteAsync(definition!, entityDefinition!, id, expected, UserName(http.User), ct);
        return result.Outcome == CommandOutcome.Ok ? TypedResults.NoContent() : ToProblem(result);
    }

    private static async Task<IResult> AuditAsync(string app, string entity, Guid id, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordStore store, CancellationToken ct)
    {
        var (_, entityDefinition, problem) = await ResolveAsync(catalog, app, entity, ct);
        if (problem is not null)
        {
            return problem;
        }

        var permit = await Access(http).ForAsync(entityDefinition!, http.User, ct);
        var audit = await store.GetAuditAsync(app, entity, id, ct);
        if (audit.Count == 0 || !await Access(http).AllowsAsync(permit, permit.Access.Read, id, ct))
        {
            return Problems.NotFound($"No audit entries for record {id}.");
        }

        return TypedResults.Ok(permit.IsFull ? audit : audit.Select(a => a with { Changes = permit.Visible(a.Changes) }).ToList());
    }

    internal static async Task<(AppDefinition? App, EntityDefinition? Entity, IResult? Problem)> ResolveAsync(AppCatalog catalog, string app, string entity, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return (null, null, Problems.NotFound($"No app '{app}'."));
        }

        var entityDefinition = definition.FindEntity(entity);
        return entityDefinition is null
            ? (definition, null, Problems.NotFound($"No entity '{entity}' in app '{app}'."))
            : (definition, entityDefinition, null);
    }

    private static async Task<IReadOnlyList<StoredRecord>> WithFlowsAsync(
        string app, string entity, AppCatalog catalog, FlowStore flows, IReadOnlyList<StoredRecord> records, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is { } definition ? await WithFlowsAsync(definition, entity, flows, records, ct) : records;

    /// <summary>Adds each record's flow state (instance, status, active steps) when the entity has flows.</summary>
    internal static async Task<IReadOnlyList<StoredRecord>> WithFlowsAsync(
        AppDefinition definition, string entity, FlowStore flows, IReadOnlyList<StoredRecord> records, CancellationToken ct)
    {
        if (!definition.Flows.Any(f => f.Entity == entity) || records.Count == 0)
        {
            return records;
        }

        var states = await flows.FlowsOfRecordsAsync(records.Select(r => r.Id).ToList(), ct);
        return records.Select(r => states.TryGetValue(r.Id, out var s) ? r with { Flow = new RecordFlowState(s.Instance, s.Status, s.Active) } : r).ToList();
    }

    internal static IResult ToProblem<T>(CommandResult<T> result) => result.Outcome switch
    {
        CommandOutcome.NotFound => Problems.NotFound(result.Detail ?? "Not found."),
        CommandOutcome.Conflict => Problems.Conflict(result.Detail ?? "The record was changed by someone else."),
        CommandOutcome.Forbidden when result.Errors is { Count: > 0 } fields => Refused(fields),
        CommandOutcome.Forbidden => Problems.Forbidden(result.Detail ?? "Not allowed."),
        _ => Problems.Validation(result.Errors ?? new Dictionary<string, IReadOnlyList<string>>()),
    };

    private static RecordAccess Access(HttpContext http) => http.RequestServices.GetRequiredService<RecordAccess>();

    private static FileReadAccess Files(HttpContext http) => http.RequestServices.GetRequiredService<FileReadAccess>();

    /// <summary>403 naming each field the caller's roles may not change.</summary>
    private static IResult Refused(IReadOnlyDictionary<string, IReadOnlyList<string>> fields) =>
        TypedResults.Problem(
            title: "Forbidden fields / 无权修改这些字段",
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["errors"] = fields });

    internal static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static string ETag(int version) => $"\"{version}\"";

    private static bool TryParseVersion(string header, out int version)
    {
        var s = header.Trim();
        if (s.StartsWith("W/", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        return int.TryParse(s.Trim('"'), out version) && version > 0;
    }
}
