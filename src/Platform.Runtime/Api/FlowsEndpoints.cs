using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Flow definitions and instances: list, publish (a new immutable version), simulate, migrate running instances,
/// instance details with history and timers, and instance actions (withdraw, urge, comment).
/// </summary>
public static class FlowsEndpoints
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder routes)
    {
        var instances = routes.MapGroup("/api/flows/instances").RequireAuthorization().WithTags("Flows");
        instances.MapGet("/{id:guid}", GetInstanceAsync).WithName("GetFlowInstance");
        instances.MapPost("/{id:guid}/actions", ActOnInstanceAsync).WithName("ActOnFlowInstance");

        var definitions = routes.MapGroup("/api/apps/{app}/flows").RequireAuthorization().WithTags("Flows");
        definitions.MapGet("/", ListAsync).WithName("ListFlows");
        definitions.MapGet("/{flow}", GetAsync).WithName("GetFlow");
        definitions.MapGet("/{flow}/versions", VersionsAsync).WithName("ListFlowVersions");
        definitions.MapGet("/{flow}/versions/{version:int}", GetVersionAsync).WithName("GetFlowVersion");
        definitions.MapPut("/{flow}", PublishAsync).WithName("PublishFlow").RequireAuthorization(PlatformRoles.DesignerPolicy);
        // A simulation validates arbitrary data, lookups included, against any draft definition: a designer's tool like publish.
        definitions.MapPost("/{flow}/simulate", SimulateAsync).WithName("SimulateFlow").RequireAuthorization(PlatformRoles.DesignerPolicy);
        definitions.MapPost("/{flow}/migrate", MigrateAsync).WithName("MigrateFlowInstances").RequireAuthorization(PlatformRoles.AdminPolicy);
        return routes;
    }

    private static async Task<IResult> GetInstanceAsync(Guid id, HttpContext http, [FromServices] InboxStore inbox, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        // An instance's history (comments, changed values) is the record's: out of the caller's read scope it does not exist.
        if (await inbox.InstanceAsync(id, ct) is not { } dto || await ReadPermitAsync(dto.App, dto.Entity, dto.RecordId, http, catalog, ct) is not { } permit)
        {
            return Problems.NotFound($"没有流程实例 {id}");
        }

        return TypedResults.Ok(permit.IsFull ? dto : dto with { History = dto.History.Select(h => h.Fields is null ? h : h with { Fields = permit.Visible(h.Fields) }).ToList() });
    }

    private static async Task<IResult> ActOnInstanceAsync(Guid id, HttpContext http, [FromServices] FlowService flows, [FromServices] FlowStore store, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        // Withdraw, urge and comment are for those who may read the record; to others the instance does not exist.
        if (await store.LoadAsync(id, ct) is not { } snapshot
            || await ReadPermitAsync(snapshot.Instance.App, snapshot.Instance.Entity, snapshot.Instance.RecordId, http, catalog, ct) is null)
        {
            return Problems.NotFound($"没有流程实例 {id}");
        }

        var action = body!["action"] is JsonValue a && a.TryGetValue<string>(out var s) ? s : null;
        var comment = body["comment"] is JsonValue c && c.TryGetValue<string>(out var t) ? t : null;
        var result = await flows.ActOnInstanceAsync(id, action, comment, http.User, ct);
        return result.Outcome == CommandOutcome.Ok ? TypedResults.Ok(result.Value) : RecordsEndpoints.ToProblem(result);
    }

    private static async Task<IResult> ListAsync(string app, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is { } definition
            ? TypedResults.Ok(definition.Flows.Select(f => new { f.Key, f.Name, f.NameEn, f.Entity, f.Version, Steps = f.Steps.Count }))
            : Problems.NotFound($"没有应用 '{app}'");

    private static async Task<IResult> GetAsync(string app, string flow, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindFlow(flow) is { } definition ? Json(definition) : Problems.NotFound($"应用 '{app}' 中没有流程 '{flow}'");

    private static async Task<IResult> VersionsAsync(string app, string flow, [FromServices] FlowCatalog flows, CancellationToken ct) =>
        TypedResults.Ok((await flows.VersionsAsync(app, flow, ct)).Select(v => new { v.Version, PublishedAt = v.At, PublishedBy = v.By }));

    private static async Task<IResult> GetVersionAsync(string app, string flow, int version, [FromServices] FlowCatalog flows, CancellationToken ct) =>
        await flows.GetAsync(app, flow, version, ct) is { } definition ? Json(definition) : Problems.NotFound($"流程 '{flow}' 没有版本 {version}");

    private static async Task<IResult> PublishAsync(string app, string flow, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (definition, problem) = await ReadFlowAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (definition!.Key != flow)
        {
            return Problems.Validation("key", $"流程标识 '{definition.Key}' 与地址中的 '{flow}' 不一致");
        }

        var (published, problems) = await importer.PublishFlowAsync(app, definition, RecordsEndpoints.UserName(http.User), ct);
        if (problems.Count > 0)
        {
            return problems.Count == 1 && problems[0].Path == "$.app"
                ? Problems.NotFound(problems[0].Message)
                : Problems.Validation(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList()),
                    "The flow is invalid; nothing was published / 流程校验失败，未发布");
        }

        return TypedResults.Ok(new { published!.Key, published.Version });
    }

    private static async Task<IResult> SimulateAsync(
        string app, string flow, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RecordValidation validation, [FromServices] FlowService flows,
        [FromServices] TimeProvider time, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        FlowDefinition? target = definition?.FindFlow(flow);
        if (body!["definition"] is JsonObject draft)
        {
            try
            {
                target = draft.Deserialize<FlowDefinition>(MetadataJson.Options);
            }
            catch (JsonException e)
            {
                return Problems.Validation("definition", e.Message);
            }
        }

        var entity = target is null ? null : definition?.FindEntity(target.Entity);
        if (definition is null || target is null || entity is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有流程 '{flow}'");
        }

        var data = body["data"] as JsonObject ?? [];
        var user = RecordsEndpoints.UserName(http.User);
        var validated = await validation.ValidateAsync(definition, entity, data, null, user, time.GetUtcNow(), false, null, ct);
        var record = validated.IsValid ? validated.Data : data.DeepClone().AsObject();
        var decisions = body["decisions"] is JsonObject d
            ? d.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : null;
        var run = await flows.SimulateAsync(target, entity, record, decisions, user, ct);
        return TypedResults.Ok(new
        {
            run.Status,
            run.Path,
            run.Problem,
            Record = run.RecordChanges,
            ValidationErrors = validated.IsValid ? null : validated.Errors,
        });
    }

    private static async Task<IResult> MigrateAsync(string app, string flow, HttpContext http, [FromServices] FlowService flows, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!["toVersion"] is not JsonValue tv || !tv.TryGetValue<int>(out var toVersion))
        {
            return Problems.Validation("toVersion", "需要目标版本号 toVersion（整数）");
        }

        int? fromVersion = body["fromVersion"] is JsonValue fv && fv.TryGetValue<int>(out var f) ? f : null;
        var mapping = body["mapping"] is JsonObject m
            ? m.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : [];
        List<Guid>? only = null;
        if (body["instances"] is JsonArray list)
        {
            only = [];
            foreach (var item in list)
            {
                if (item is not JsonValue v || !Guid.TryParse(v.ToString(), out var id))
                {
                    return Problems.Validation("instances", $"'{item}' 不是实例 id");
                }

                only.Add(id);
            }
        }

        var (migrated, problems) = await flows.MigrateAsync(app, flow, toVersion, fromVersion, mapping, only, RecordsEndpoints.UserName(http.User), ct);
        return problems.Count > 0
            ? Problems.Validation(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList()),
                "Migration refused; no instance was moved / 迁移被拒绝，没有实例被迁移")
            : TypedResults.Ok(new { Migrated = migrated, ToVersion = toVersion });
    }

    /// <summary>The caller's permit on the instance's record when they may read it, else null.</summary>
    private static async Task<Execution.Access.RecordPermit?> ReadPermitAsync(string app, string entity, Guid recordId, HttpContext http, AppCatalog catalog, CancellationToken ct)
    {
        if ((await catalog.GetAsync(app, ct))?.FindEntity(entity) is not { } definition)
        {
            return null;
        }

        var access = http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>();
        var permit = await access.ForAsync(definition, http.User, ct);
        return await access.AllowsAsync(permit, permit.Access.Read, recordId, ct) ? permit : null;
    }

    private static async Task<(FlowDefinition? Flow, IResult? Problem)> ReadFlowAsync(HttpContext http, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            return (body!.Deserialize<FlowDefinition>(MetadataJson.Options), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", e.Message));
        }
    }

    private static IResult Json(FlowDefinition flow) =>
        TypedResults.Text(JsonSerializer.Serialize(flow, MetadataJson.Options), "application/json; charset=utf-8");
}
