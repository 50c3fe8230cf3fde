using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>
/// Designer drafts, unpublished and never read by the runtime: <c>GET /api/apps/{app}/drafts</c>,
/// <c>GET|PUT|DELETE /api/apps/{app}/drafts/{kind}/{key}</c> with kind entity, flow, rule, report or dashboard.
/// A draft may be incomplete; it is checked when it is published.
/// </summary>
public static partial class DraftsEndpoints
{
    public static RouteGroupBuilder MapDraftsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/drafts").RequireAuthorization(Security.PlatformRoles.DesignerPolicy).WithTags("Drafts");
        group.MapGet("/", ListAsync).WithName("ListDrafts");
        group.MapGet("/{kind}/{key}", GetAsync).WithName("GetDraft");
        group.MapPut("/{kind}/{key}", SaveAsync).WithName("SaveDraft");
        group.MapDelete("/{kind}/{key}", DeleteAsync).WithName("DeleteDraft");
        return group;
    }

    private static async Task<IResult> ListAsync(string app, [FromQuery] string? kind, [FromServices] AppCatalog catalog, [FromServices] DraftStore drafts, CancellationToken ct)
    {
        if (kind is not null && !DraftStore.Kinds.Contains(kind))
        {
            return KindProblem(kind);
        }

        return await catalog.GetAsync(app, ct) is null
            ? Problems.NotFound($"没有应用 '{app}'")
            : TypedResults.Ok((await drafts.ListAsync(app, kind, ct)).Select(d => new { d.Kind, d.Key, d.UpdatedBy, d.UpdatedAt }));
    }

    private static async Task<IResult> GetAsync(string app, string kind, string key, [FromServices] DraftStore drafts, CancellationToken ct)
    {
        if (Check(kind, key) is { } problem)
        {
            return problem;
        }

        return await drafts.GetAsync(app, kind, key, ct) is { } draft
            ? TypedResults.Ok(Dto(draft))
            : Problems.NotFound($"应用 '{app}' 中没有 {kind} '{key}' 的草稿");
    }

    /// <summary>Body: the draft definition itself (a JSON object); a <c>key</c> in it must match the address.</summary>
    private static async Task<IResult> SaveAsync(
        string app, string kind, string key, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] DraftStore drafts, [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (Check(kind, key) is { } problem)
        {
            return problem;
        }

        var (body, bodyProblem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (body!["key"] is { } bodyKey && (bodyKey.GetValueKind() != JsonValueKind.String || bodyKey.GetValue<string>() != key))
        {
            return Problems.Validation("key", $"草稿中的标识 '{bodyKey.ToJsonString()}' 与地址中的 '{key}' 不一致 / the key differs from the address");
        }

        if (await catalog.GetAsync(app, ct) is null)
        {
            return Problems.NotFound($"没有应用 '{app}'");
        }

        var saved = await drafts.SaveAsync(app, kind, key, body, RecordsEndpoints.UserName(http.User), time.GetUtcNow(), ct);
        return TypedResults.Ok(Dto(saved));
    }

    private static async Task<IResult> DeleteAsync(string app, string kind, string key, [FromServices] DraftStore drafts, CancellationToken ct)
    {
        if (Check(kind, key) is { } problem)
        {
            return problem;
        }

        return await drafts.DeleteAsync(app, kind, key, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"应用 '{app}' 中没有 {kind} '{key}' 的草稿");
    }

    private static IResult? Check(string kind, string key) =>
        !DraftStore.Kinds.Contains(kind) ? KindProblem(kind)
        : !Key().IsMatch(key) ? Problems.Validation("key", $"标识 '{key}' 无效：须为小写字母开头的 snake_case / must be lower snake_case")
        : null;

    private static IResult KindProblem(string kind) =>
        Problems.Validation("kind", $"草稿类型 '{kind}' 无效：须为 {string.Join(", ", DraftStore.Kinds)} / unknown draft kind");

    private static object Dto(DraftRow draft) => new { draft.Kind, draft.Key, draft.Body, draft.UpdatedBy, draft.UpdatedAt };

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();
}
