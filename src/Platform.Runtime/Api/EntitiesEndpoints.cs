using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Api;

/// <summary>
/// Entity definitions: <c>GET /api/apps/{app}/entities/{entity}</c> (the published one) and
/// <c>PUT /api/apps/{app}/entities/{entity}</c>, which publishes a new or changed entity with its form layout as a new app
/// version (422 listing each problem at its path, nothing written; the entity's draft is deleted).
/// </summary>
public static class EntitiesEndpoints
{
    public static RouteGroupBuilder MapEntitiesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/entities").RequireAuthorization().WithTags("Entities");
        group.MapGet("/{entity}", GetAsync).WithName("GetEntity");
        group.MapPut("/{entity}", PublishAsync).WithName("PublishEntity").RequireAuthorization(Security.PlatformRoles.DesignerPolicy);
        return group;
    }

    private static async Task<IResult> GetAsync(string app, string entity, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindEntity(entity) is { } definition
            ? TypedResults.Text(JsonSerializer.Serialize(definition, MetadataJson.Options), "application/json; charset=utf-8")
            : Problems.NotFound($"应用 '{app}' 中没有实体 '{entity}'");

    private static async Task<IResult> PublishAsync(string app, string entity, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (definition, problem) = await JsonBody.ReadDefinitionAsync<EntityDefinition>(http.Request, entity, e => e.Key, "实体", ct);
        if (problem is not null)
        {
            return problem;
        }

        var (published, version, problems) = await importer.PublishEntityAsync(app, definition!, RecordsEndpoints.UserName(http.User), ct);
        return problems.Count == 0
            ? TypedResults.Ok(new { published!.Key, published.Label, EntityVersion = published.Version, AppVersion = version })
            : ReportsEndpoints.PublishProblem(problems, "The entity is invalid; nothing was published / 实体校验失败，未发布");
    }
}
