namespace Platform.Core.Metadata;

/// <summary>A tracked entity with its fields resolved (see <see cref="CustomerPortalDefinition.Resolve"/>); <see cref="Status"/> is its flow's status field.</summary>
public sealed record CustomerTrackedEntityPlan(
    EntityDefinition Entity,
    FieldDefinition Number,
    FieldDefinition Phone,
    FieldDefinition? Type,
    FieldDefinition? Status,
    IReadOnlyList<FieldDefinition> Fields,
    FieldDefinition? Summary = null);
