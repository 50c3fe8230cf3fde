using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>A saved, unpublished entity with who saved it and when.</summary>
public sealed record EntityDraft(EntityDefinition Entity, string UpdatedBy, DateTimeOffset UpdatedAt);
