using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules;

/// <summary>What validation of one rule needs: the app (other entities, flows), the rule, its entity, the engine.</summary>
public sealed class RuleValidationContext(AppDefinition app, RuleDefinition rule, EntityDefinition? entity, IExpressionEngine expressions)
{
    public AppDefinition App { get; } = app;

    public RuleDefinition Rule { get; } = rule;

    public EntityDefinition? Entity { get; } = entity;

    public IExpressionEngine Expressions { get; } = expressions;

    /// <summary>Checks that an expression compiles and reads only fields of <paramref name="over"/> (default: the rule's entity) and rule variables.</summary>
    public string? CheckExpression(string? source, EntityDefinition? over = null, IEnumerable<string>? alsoKnown = null)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return "表达式不能为空";
        }

        if (Expressions.Check(source) is { } fault)
        {
            return $"表达式无法编译：{fault.Reason}";
        }

        var scope = over ?? Entity;
        var known = alsoKnown?.ToHashSet(StringComparer.Ordinal) ?? [];
        var unknown = Expressions.GetFreeVariables(source)
            .Where(v => !RuleVariables.Builtins.Contains(v) && !known.Contains(v) && (scope is null || scope.FindField(v) is null))
            .ToList();
        return unknown.Count == 0 ? null : $"表达式引用了不存在的字段：{string.Join(", ", unknown)}";
    }

    /// <summary>Checks every <c>{{ expression }}</c> of a text.</summary>
    public string? CheckText(string? text)
    {
        foreach (var expression in RuleText.Expressions(text))
        {
            if (CheckExpression(expression) is { } problem)
            {
                return $"{{{{ {expression} }}}}: {problem}";
            }
        }

        return null;
    }
}
