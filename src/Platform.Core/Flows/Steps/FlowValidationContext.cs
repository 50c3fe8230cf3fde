using Platform.Core.Expressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Core.Flows.Steps;

/// <summary>What a step type needs to validate a step: the flow, its entity, the expression engine.</summary>
public sealed class FlowValidationContext(FlowDefinition flow, EntityDefinition? entity, IExpressionEngine expressions, FlowStepRegistry steps)
{
    public FlowDefinition Flow { get; } = flow;

    public EntityDefinition? Entity { get; } = entity;

    public IExpressionEngine Expressions { get; } = expressions;

    public FlowStepRegistry Steps { get; } = steps;

    /// <summary>Checks that an expression compiles and reads only fields of the entity; returns the problem or null.</summary>
    public string? CheckExpression(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return "表达式不能为空";
        }

        if (Expressions.Check(source) is { } fault)
        {
            return $"表达式无法编译：{fault.Reason}";
        }

        if (Entity is null)
        {
            return null;
        }

        var unknown = Expressions.GetFreeVariables(source)
            .Where(v => !Runtime.FlowVariables.Builtins.Contains(v) && Entity.FindField(v) is null)
            .ToList();
        return unknown.Count == 0 ? null : $"表达式引用了不存在的字段：{string.Join(", ", unknown)}";
    }

    /// <summary>True when the entity has the field (or no entity is known).</summary>
    public bool HasField(string? key) => key is not null && (Entity is null || Entity.FindField(key) is not null);
}
