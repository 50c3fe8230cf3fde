using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
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
        group.MapGet("/firings", FiringsAsync).WithName("ListRuleFirings");
        group.MapGet("/{rule}", GetAsync).WithName("GetRule");
        group.MapPut("/{rule}", PublishAsync).WithName("PublishRule").RequireAuthorization(PlatformRoles.DesignerPolicy);
        group.MapPost("/{rule}/dry-run", DryRunAsync).WithName("DryRunRule");
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
        string app, [FromQuery] string? rule, [FromQuery] Guid? record, [FromQuery] Guid? chain, [FromQuery] int? limit, [FromServices] NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select id, rule_key, trigger, entity_key, record_id, chain_id, seq, parent_seq, depth, status, condition, condition_result, actions::text, error, duration_ms, at, by
            from rule_firings
            where app_key = $1 and ($2::text is null or rule_key = $2) and ($3::uuid is null or record_id = $3) and ($4::uuid is null or chain_id = $4)
            order by id desc limit $5
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)rule ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)record ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)chain ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit ?? 100, 1, 1000) });
        var list = new JsonArray();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new JsonObject
            {
                ["id"] = reader.GetInt64(0), ["rule"] = reader.GetString(1), ["trigger"] = reader.GetString(2),
                ["entity"] = reader.IsDBNull(3) ? null : reader.GetString(3), ["recordId"] = reader.IsDBNull(4) ? null : reader.GetGuid(4).ToString(),
                ["chainId"] = reader.GetGuid(5).ToString(), ["seq"] = reader.GetInt32(6), ["causedBy"] = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                ["depth"] = reader.GetInt32(8), ["status"] = reader.GetString(9), ["condition"] = reader.IsDBNull(10) ? null : reader.GetString(10),
                ["conditionResult"] = reader.IsDBNull(11) ? null : reader.GetBoolean(11), ["actions"] = JsonNode.Parse(reader.GetString(12)),
                ["error"] = reader.IsDBNull(13) ? null : reader.GetString(13), ["durationMs"] = Math.Round(reader.GetDouble(14), 3),
                ["at"] = reader.GetFieldValue<DateTimeOffset>(15), ["by"] = reader.GetString(16),
            });
        }

        return TypedResults.Text(list.ToJsonString(), "application/json; charset=utf-8");
    }
}
