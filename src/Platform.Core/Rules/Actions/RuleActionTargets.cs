using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules.Actions;

/// <summary>The entity an action's <c>target</c> names: the rule's own entity, or the one a reference field points at.</summary>
internal static class RuleActionTargets
{
    /// <summary>
    /// The rule's entity for no target or <c>self</c>; else the entity of the reference field named by the target, reporting
    /// a target that is no reference field, or whose entity does not exist, under <c>target</c>.
    /// </summary>
    public static EntityDefinition? EntityOf(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        if (action.Target is null or "self")
        {
            return context.Entity;
        }

        var reference = context.Entity?.FindField(action.Target);
        if (reference?.Type != "reference" || reference.Reference?.Entity is not { } entityKey)
        {
            problem("target", $"'{action.Target}' 不是引用字段");
            return null;
        }

        var entity = context.App.FindEntity(entityKey);
        if (entity is null)
        {
            problem("target", $"引用的实体 '{entityKey}' 不存在");
        }

        return entity;
    }
}
