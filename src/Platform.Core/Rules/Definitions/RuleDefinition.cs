namespace Platform.Core.Rules.Definitions;

/// <summary>
/// An event–condition–action rule: when <see cref="Trigger"/> happens to a record of <see cref="Entity"/> and the
/// condition holds, its <see cref="Actions"/> run in the triggering command's transaction. Immutable; rules are
/// published with their app.
/// </summary>
public sealed record RuleDefinition
{
    /// <summary>Stable snake_case key, e.g. <c>auto_dispatch</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Display name (zh-CN first).</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The entity whose records trigger the rule (optional for schedule and webhook triggers).</summary>
    public string? Entity { get; init; }

    public required RuleTrigger Trigger { get; init; }

    /// <summary>A condition expression over the record (the one expression language).</summary>
    public string? Condition { get; init; }

    /// <summary>A condition built with the condition builder; compiled to the same language and AND-ed with <see cref="Condition"/>.</summary>
    public ConditionNode? When { get; init; }

    /// <summary>Lower runs first (default 100); ties run in definition order.</summary>
    public int Priority { get; init; } = 100;

    /// <summary>When the rule fires, later rules for the same event do not.</summary>
    public bool StopFurther { get; init; }

    public bool Enabled { get; init; } = true;

    public IReadOnlyList<RuleActionDefinition> Actions { get; init; } = [];
}
