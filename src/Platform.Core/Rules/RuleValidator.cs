using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules.Actions;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules;

/// <summary>
/// Checks an app's rules before they are published: keys, entity, trigger settings (fields, flows and steps exist,
/// cron parses), conditions compile and read known fields, and every action's type is registered and its settings
/// make sense. Every problem is reported with its JSON path.
/// </summary>
public sealed partial class RuleValidator(RuleActionRegistry actions, IExpressionEngine expressions)
{
    public IReadOnlyList<DefinitionProblem> Validate(AppDefinition app, IReadOnlyList<RuleDefinition> rules, string path = "$.rules")
    {
        var problems = new List<DefinitionProblem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            Validate(app, rules[i], $"{path}[{i}]", problems, keys);
        }

        return problems;
    }

    private void Validate(AppDefinition app, RuleDefinition rule, string path, List<DefinitionProblem> problems, HashSet<string> keys)
    {
        void Add(string at, string message) => problems.Add(new DefinitionProblem($"{path}.{at}", message));

        if (string.IsNullOrEmpty(rule.Key) || !KeyPattern().IsMatch(rule.Key))
        {
            Add("key", $"规则标识 '{rule.Key}' 无效：应为小写字母开头的 snake_case");
        }
        else if (!keys.Add(rule.Key))
        {
            Add("key", $"规则标识 '{rule.Key}' 重复");
        }

        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            Add("name", "规则名称不能为空");
        }

        var trigger = rule.Trigger;
        if (trigger is null || !RuleTriggerTypes.All.Contains(trigger.Type))
        {
            Add("trigger.type", $"未知的触发类型 '{trigger?.Type}'，应为 {string.Join(", ", RuleTriggerTypes.All)}");
            return;
        }

        EntityDefinition? entity = null;
        if (rule.Entity is not null)
        {
            entity = app.FindEntity(rule.Entity);
            if (entity is null)
            {
                Add("entity", $"实体 '{rule.Entity}' 不存在");
                return;
            }
        }
        else if (RuleTriggerTypes.IsRecordTrigger(trigger.Type))
        {
            Add("entity", $"触发类型 {trigger.Type} 需要指定实体");
            return;
        }

        ValidateTrigger(app, rule, entity, Add);
        var context = new RuleValidationContext(app, rule, entity, expressions);
        if (rule.Condition is not null && context.CheckExpression(rule.Condition) is { } conditionProblem)
        {
            Add("condition", conditionProblem);
        }

        if (rule.When is not null)
        {
            var built = new List<DefinitionProblem>();
            var source = ConditionCompiler.Compile(rule.When, entity, $"{path}.when", built);
            problems.AddRange(built);
            if (built.Count == 0 && context.CheckExpression(source) is { } whenProblem)
            {
                Add("when", whenProblem);
            }
        }

        if (rule.Actions.Count == 0)
        {
            Add("actions", "规则至少需要一个动作");
        }

        for (var i = 0; i < rule.Actions.Count; i++)
        {
            var action = rule.Actions[i];
            var at = $"actions[{i}]";
            if (!actions.TryGet(action.Type, out var type))
            {
                Add($"{at}.type", $"未知的动作类型 '{action.Type}'，应为 {string.Join(", ", actions.Names)}");
                continue;
            }

            if (action.When is not null && context.CheckExpression(action.When) is { } whenProblem)
            {
                Add($"{at}.when", whenProblem);
            }

            type.Validate(action, context, (p, m) => Add($"{at}.{p}", m));
        }
    }

    private static void ValidateTrigger(AppDefinition app, RuleDefinition rule, EntityDefinition? entity, Action<string, string> add)
    {
        var t = rule.Trigger;
        switch (t.Type)
        {
            case RuleTriggerTypes.FieldChanged:
                if (t.Field is null || entity?.FindField(t.Field) is null)
                {
                    add("trigger.field", $"字段 '{t.Field}' 不存在");
                }

                break;

            case RuleTriggerTypes.StepEntered or RuleTriggerTypes.StepCompleted or RuleTriggerTypes.TaskOverdue:
                var flows = app.Flows.Where(f => f.Entity == rule.Entity && (t.Flow is null || f.Key == t.Flow)).ToList();
                if (t.Flow is not null && flows.Count == 0)
                {
                    add("trigger.flow", $"实体 {rule.Entity} 没有流程 '{t.Flow}'");
                }
                else if (t.Step is null && t.Type == RuleTriggerTypes.TaskOverdue)
                {
                    add("trigger.step", "task.overdue 需要指定步骤");
                }
                else if (t.Step is not null && !flows.Any(f => f.FindStep(t.Step) is not null))
                {
                    add("trigger.step", $"流程中没有步骤 '{t.Step}'");
                }

                if (t.Type == RuleTriggerTypes.TaskOverdue && (t.After is null || t.After.ToTimeSpan() <= TimeSpan.Zero))
                {
                    add("trigger.after", "task.overdue 需要一个大于 0 的时长，例如 { \"hours\": 4 }");
                }

                break;

            case RuleTriggerTypes.Schedule:
                if (RuleSchedule.Parse(t.Cron) is null)
                {
                    add("trigger.cron", $"cron 表达式 '{t.Cron}' 无效");
                }

                if (t.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(t.TimeZone, out _))
                {
                    add("trigger.timeZone", $"未知的时区 '{t.TimeZone}'");
                }

                break;

            case RuleTriggerTypes.Webhook:
                if (string.IsNullOrWhiteSpace(t.Hook))
                {
                    add("trigger.hook", "webhook 触发需要指定入站 hook 的标识");
                }

                break;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex KeyPattern();
}
