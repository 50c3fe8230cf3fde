using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Rules;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Rules: list, read, publish (new or changed, enabled or disabled), dry-run against a sample record, and the
/// firing log (why something fired: condition, actions, candidates weighed, the chain that led to it).
/// </summary>
public static class RulesEndpoints
{
    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/rules").RequireAuthorization().WithTags("Rules");
        group.MapGet("/", ListAsync).WithName("ListRules");
        // The firing log names records and the values rules wrote to them, across every permission: a designer's tool.
        group.MapGet("/firings", FiringsAsync).WithName("ListRuleFirings").RequireAuthorization(PlatformRoles.DesignerPolicy);
        group.MapGet("/{rule}", GetAsync).WithName("GetRule");
        group.MapPut("/{rule}", PublishAsync).WithName("PublishRule").RequireAuthorization(PlatformRoles.DesignerPolicy);
        // A dry run reads the records the rule's actions query (e.g. every engineer's name and phone as dispatch
        // candidates), whatever the caller's entity permissions: like the log, a designer's tool.
        group.MapPost("/{rule}/dry-run", DryRunAsync).WithName("DryRunRule").RequireAuthorization(PlatformRoles.DesignerPolicy);
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is { } definition
            ? TypedResults.Ok(definition.Rules.Select(r => new { r.Key, r.Name, r.Entity, Trigger = r.Trigger.Type, r.Trigger.Step, r.Priority, r.Enabled, Actions = r.Actions.Select(a => a.Type) }))
            : Problems.NotFound($"没有应用 '{app}'");

    private static async Task<IResult> GetAsync(string app, string rule, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.FindRule(rule) is { } definition
            ? TypedResults.Text(JsonSerializer.Serialize(definition, MetadataJson.Options), "application/json; charset=utf-8")
            : Problems.NotFound($"应用 '{app}' 中没有规则 '{rule}'");

    private static async Task<IResult> PublishAsync(string app, string rule, HttpContext http, [FromServices] AppImporter importer, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        RuleDefinition? definition;
        try
        {
            definition = body!.Deserialize<RuleDefinition>(MetadataJson.Options);
        }
        catch (JsonException e)
        {
            return Problems.Validation(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", e.Message);
        }

        if (definition!.Key != rule)
        {
            return Problems.Validation("key", $"规则标识 '{definition.Key}' 与地址中的 '{rule}' 不一致");
        }

        var (published, problems) = await importer.PublishRuleAsync(app, definition, RecordsEndpoints.UserName(http.User), ct);
        if (problems.Count > 0)
        {
            return problems.Count == 1 && problems[0].Path == "$.app"
                ? Problems.NotFound(problems[0].Message)
                : Problems.Validation(problems.GroupBy(p => p.Path.TrimStart('$', '.')).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Message).ToList()),
                    "The rule is invalid; nothing was published / 规则校验失败，未发布");
        }

        return TypedResults.Ok(new { published!.Key, published.Enabled });
    }

    private static async Task<IResult> DryRunAsync(string app, string rule, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] RuleDryRun dryRun, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindRule(rule);
        if (found is null)
        {
            return Problems.NotFound($"应用 '{app}' 中没有规则 '{rule}'");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!["data"] is not JsonObject data)
        {
            return Problems.Validation("data", "需要样例记录 data / a sample record is required");
        }

        var report = await dryRun.RunAsync(definition!, found, data, body["old"] as JsonObject, RecordsEndpoints.UserName(http.User), ct);
        return TypedResults.Text(report.ToJsonString(MetadataJson.Options), "application/json; charset=utf-8");
    }

    private static async Task<IResult> FiringsAsync(
        string app, [FromQuery] string? rule, [FromQuery] Guid? record, [FromQuery] Guid? chain, [FromQuery] int? limit, [FromServices] RuleFiringLog log, CancellationToken ct) =>
        TypedResults.Text((await log.ListAsync(app, rule, record, chain, limit, ct)).ToJsonString(), "application/json; charset=utf-8");
}
