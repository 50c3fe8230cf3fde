using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Rules;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>The rule designer's backend: the same catalog, validator, importer, dry-run and firing log as the rules API.</summary>
public sealed class RuleDesigner(
    AppCatalog catalog,
    AppImporter importer,
    RuleActionRegistry registry,
    RuleValidator validator,
    RuleDryRun dryRun,
    RuleFiringLog log,
    RecordStore records,
    AuthenticationStateProvider authentication) : IRuleDesigner
{
    private const int Samples = 20;

    public IReadOnlyList<string> ActionTypes => registry.Names.ToList();

    public async Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct) => await catalog.GetAsync(app, ct);

    public async Task<IReadOnlyList<DefinitionProblem>> PublishAsync(string app, RuleDefinition rule, CancellationToken ct)
    {
        var (_, problems) = await importer.PublishRuleAsync(app, rule, await UserAsync(), ct);
        return problems.Select(p => new DefinitionProblem(p.Path.TrimStart('$', '.'), p.Message)).ToList();
    }

    public async Task<JsonObject> DryRunAsync(string app, RuleDefinition rule, JsonObject data, JsonObject? old, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct) ?? throw new InvalidOperationException($"No app '{app}'.");

        // An unsaved rule is checked as publishing would check it, so a dry-run never runs what could not be published.
        var rules = definition.Rules.Where(r => r.Key != rule.Key).Append(rule).ToList();
        var at = $"$.rules[{rules.Count - 1}]";
        var problems = validator.Validate(definition, rules).Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0)
        {
            return new JsonObject
            {
                ["rule"] = rule.Key,
                ["problems"] = new JsonArray(problems.Select(p => (JsonNode?)new JsonObject { ["path"] = p.Path[(at.Length + 1)..], ["message"] = p.Message }).ToArray()),
            };
        }

        return await dryRun.RunAsync(definition with { Rules = rules }, rule, data, old, await UserAsync(), ct);
    }

    public async Task<IReadOnlyList<RuleFiringView>> FiringsAsync(string app, string rule, int limit, CancellationToken ct)
    {
        var list = await log.ListAsync(app, rule, null, null, limit, ct);
        return list.OfType<JsonObject>().Select(f => new RuleFiringView(
            f["id"]!.GetValue<long>(),
            f["trigger"]!.GetValue<string>(),
            f["recordId"]?.GetValue<string>(),
            f["status"]!.GetValue<string>(),
            f["conditionResult"]?.GetValue<bool>(),
            (f["actions"] as JsonArray ?? []).Select(a => a is JsonObject o ? $"{o["type"]}{(o["summary"] is { } s ? "：" + s : string.Empty)}{(o["error"] is { } e ? " ✗ " + e : string.Empty)}" : a?.ToJsonString() ?? string.Empty).ToList(),
            f["error"]?.GetValue<string>(),
            f["durationMs"]!.GetValue<double>(),
            f["at"]!.GetValue<DateTimeOffset>(),
            f["by"]!.GetValue<string>(),
            f["depth"]!.GetValue<int>())).ToList();
    }

    public async Task<IReadOnlyList<SampleRecord>> SampleRecordsAsync(string app, string entity, string? search, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var entityDefinition = definition?.FindEntity(entity);
        if (entityDefinition is null)
        {
            return [];
        }

        var title = TitleField(entityDefinition);
        var filters = string.IsNullOrWhiteSpace(search) || title is null ? [] : new[] { $"{title}:contains:{search.Trim()}" };
        var (query, errors) = RecordQueryCompiler.Compile(app, entityDefinition, filters, "-createdAt", "1", Samples.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (query is null || errors.Count > 0)
        {
            return [];
        }

        var page = await records.ListAsync(query, ct);
        return page.Items.Select(r => new SampleRecord(
            r.Id,
            title is not null && r.Data[title] is JsonValue v ? $"{v} · {r.CreatedAt:yyyy-MM-dd}" : $"{r.Id.ToString()[..8]} · {r.CreatedAt:yyyy-MM-dd}",
            r.CreatedAt,
            r.Data)).ToList();
    }

    private static string? TitleField(EntityDefinition entity) =>
        entity.TitleField
        ?? entity.Fields.FirstOrDefault(f => f.Type == "auto-number")?.Key
        ?? entity.Fields.FirstOrDefault(f => f.Type == "text")?.Key;

    private async Task<string> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "anonymous";
}
