using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Tests.Rules;

/// <summary>The real expression engine, the default action registry, the template's rules and small builders for rule tests.</summary>
internal static class RuleTestKit
{
    public static readonly IExpressionEngine ExpressionEngine = new JintExpressionEngine();

    public static readonly RuleEngine Engine = new(RuleActionRegistry.CreateDefault(), ExpressionEngine);

    public static readonly RuleValidator Validator = new(RuleActionRegistry.CreateDefault(), ExpressionEngine);

    /// <summary>2026-12-01 02:30 in China (still 2026-11-30 in UTC), so a UTC "today" would be one day off.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 18, 30, 0, TimeSpan.Zero);

    public static readonly Guid RecordId = Guid.Parse("5f0c3a8e-1d2b-4c6f-9a7e-0b1c2d3e4f50");

    public static readonly Guid OtherId = Guid.Parse("0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d");

    public static AppDefinition App => SampleApp.Definition;

    public static IReadOnlyList<RuleDefinition> TemplateRules => SampleApp.Definition.Rules;

    public static RuleDefinition TemplateRule(string key) => SampleApp.Definition.FindRule(key) ?? throw new InvalidOperationException($"template has no rule {key}");

    public static RuleDefinition Rule(string json) => Parse<RuleDefinition>(json);

    public static List<RuleDefinition> Rules(string json) => Parse<List<RuleDefinition>>(json);

    public static RuleActionDefinition Action(string json) => Parse<RuleActionDefinition>(json);

    public static ConditionNode Condition(string json) => Parse<ConditionNode>(json);

    public static JsonObject Record(string json) => JsonNode.Parse(json)!.AsObject();

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, MetadataJson.Options) ?? throw new InvalidOperationException("null JSON");

    public static RuleEvent Event(string type, string? entity, JsonObject? record = null, JsonObject? old = null, IReadOnlyList<string>? changed = null) => new()
    {
        Type = type,
        App = "after_sales",
        Entity = entity,
        RecordId = RecordId,
        Record = record,
        Old = old,
        Changed = changed ?? [],
    };

    public static RuleActionContext Context(string entity, JsonObject record, RuleEvent? e = null) => new()
    {
        App = App,
        Entity = SampleApp.Entity(entity),
        Event = e ?? Event(RuleTriggerTypes.RecordUpdated, entity, record),
        Record = record,
        Now = Now,
        Expressions = ExpressionEngine,
    };

    /// <summary>A China date <paramref name="days"/> before <see cref="Now"/>'s China date (2026-12-01).</summary>
    public static string DaysAgo(int days) => new DateOnly(2026, 12, 1).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
