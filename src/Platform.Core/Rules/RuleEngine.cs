using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules;

/// <summary>
/// The pure part of the rule engine: which rules an event triggers (in priority order), whether their condition
/// holds, and what their actions would do. No I/O: the runtime executes the plans in the command's transaction,
/// and a dry-run reports them.
/// </summary>
public sealed class RuleEngine(RuleActionRegistry actions, IExpressionEngine expressions)
{
    private static readonly ConditionalWeakTable<RuleDefinition, string> Conditions = [];

    public RuleActionRegistry Actions { get; } = actions;

    public IExpressionEngine Expressions { get; } = expressions;

    /// <summary>The enabled rules of <paramref name="rules"/> whose trigger matches the event, lowest priority first.</summary>
    public static IReadOnlyList<RuleDefinition> Match(IReadOnlyList<RuleDefinition> rules, RuleEvent e)
    {
        List<(RuleDefinition Rule, int Order)>? matched = null;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Enabled && Matches(rules[i], e))
            {
                (matched ??= []).Add((rules[i], i));
            }
        }

        return matched is null ? [] : matched.OrderBy(m => m.Rule.Priority).ThenBy(m => m.Order).Select(m => m.Rule).ToList();
    }

    /// <summary>Whether a rule's trigger matches an event (entity, type, field from → to, flow and step, hook, timer target).</summary>
    public static bool Matches(RuleDefinition rule, RuleEvent e)
    {
        var t = rule.Trigger;
        if (RuleTriggerTypes.IsRecordTrigger(t.Type) && rule.Entity != e.Entity)
        {
            return false;
        }

        return t.Type switch
        {
            RuleTriggerTypes.FieldChanged => e.Type == RuleTriggerTypes.RecordUpdated && t.Field is { } field && e.Changed.Contains(field)
                && (t.From is null || JsonNode.DeepEquals(t.From, e.Old?[field]))
                && (t.To is null || JsonNode.DeepEquals(t.To, e.Record?[field])),
            RuleTriggerTypes.StepEntered or RuleTriggerTypes.StepCompleted => e.Type == t.Type && (t.Flow is null || t.Flow == e.Flow) && (t.Step is null || t.Step == e.Step),
            RuleTriggerTypes.TaskOverdue or RuleTriggerTypes.Schedule => e.Type == t.Type && e.Rule == rule.Key,
            RuleTriggerTypes.Webhook => e.Type == t.Type && e.Hook == t.Hook,
            _ => e.Type == t.Type,
        };
    }

    /// <summary>The source of a rule's whole condition (typed and built, AND-ed), or null when it has none.</summary>
    public static string? ConditionSource(RuleDefinition rule, EntityDefinition? entity)
    {
        if (rule.When is null)
        {
            return string.IsNullOrWhiteSpace(rule.Condition) ? null : rule.Condition;
        }

        var built = Conditions.GetValue(rule, r => ConditionCompiler.Compile(r.When!, entity));
        return string.IsNullOrWhiteSpace(rule.Condition) ? built : $"({rule.Condition}) && {built}";
    }

    /// <summary>Evaluates the rule's condition against the event's record; an expression fault is reported, not thrown.</summary>
    public RuleConditionResult EvaluateCondition(RuleDefinition rule, EntityDefinition? entity, RuleEvent e, JsonObject record, DateTimeOffset now)
    {
        string? source;
        try
        {
            source = ConditionSource(rule, entity);
        }
        catch (ArgumentException x)
        {
            return new RuleConditionResult(false, x.Message, "?");
        }

        if (source is null)
        {
            return RuleConditionResult.Always;
        }

        try
        {
            return new RuleConditionResult(Expressions.EvaluateBool(source, Scope(entity, e, record, now)), null, source);
        }
        catch (ExpressionFault fault)
        {
            return new RuleConditionResult(false, $"{fault.Kind}: {fault.Reason}", source);
        }
    }

    /// <summary>Plans one action (its <c>when</c> first). Throws <see cref="ExpressionFault"/> when an expression fails.</summary>
    public RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        if (!Actions.TryGet(action.Type, out var type))
        {
            throw new InvalidOperationException($"未知的规则动作类型 '{action.Type}'");
        }

        if (action.When is { } when && !context.IsTrue(when))
        {
            return new RuleActionPlan { Type = action.Type, Action = action, Runs = false, Summary = $"跳过：when 条件不成立 / skipped: {when}" };
        }

        return type.Plan(action, context);
    }

    /// <summary>The variables a rule expression sees: the record's fields, and the rule variables of <see cref="RuleVariables"/>.</summary>
    public static ExpressionScope Scope(EntityDefinition? entity, RuleEvent e, JsonObject? record, DateTimeOffset now, IReadOnlyDictionary<string, JsonNode?>? extra = null)
    {
        var keys = RuleVariables.Names(entity);
        var variables = new Dictionary<string, JsonNode?>(keys.Count + 8, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            variables[key] = record is not null && record.TryGetPropertyValue(key, out var v) ? v : null;
        }

        variables[RuleVariables.Old] = e.Old;
        variables[RuleVariables.Changed] = new JsonArray(e.Changed.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        variables[RuleVariables.Event] = JsonValue.Create(e.Type);
        variables[RuleVariables.Step] = e.Step is null ? null : JsonValue.Create(e.Step);
        variables[RuleVariables.Id] = e.RecordId is { } id ? JsonValue.Create(id.ToString()) : null;
        variables[RuleVariables.Payload] = e.Payload;
        variables[RuleVariables.Candidate] = null;
        variables[RuleVariables.Source] = null;
        variables[RuleVariables.Last] = null;
        variables[RuleVariables.TrackingLink] = null;
        variables[RuleVariables.FormLinks] = new JsonObject();
        foreach (var (k, v) in extra ?? new Dictionary<string, JsonNode?>())
        {
            variables[k] = v;
        }

        return new ExpressionScope(variables, now, e.By);
    }
}
