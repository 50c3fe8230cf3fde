using Platform.Core.Access;

namespace Platform.Core.Metadata;

/// <summary>An entity: its fields, cross-field validation rules and form layout.</summary>
public sealed record EntityDefinition
{
    public required string Key { get; init; }

    public required string Label { get; init; }

    public string? LabelEn { get; init; }

    /// <summary>The field shown as the record's title in lists, references and tasks.</summary>
    public string? TitleField { get; init; }

    /// <summary>Version of this entity's definition; records remember the version they were saved under.</summary>
    public int Version { get; init; } = 1;

    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    /// <summary>Cross-field rules: each is an expression that must be true.</summary>
    public IReadOnlyList<ValidationRule> Validations { get; init; } = [];

    /// <summary>Sections, columns and order; fields not placed are appended in definition order.</summary>
    public FormLayout? Form { get; init; }

    /// <summary>Who may create, read, update and delete the records, per role; null leaves the entity open to every internal user.</summary>
    public IReadOnlyList<EntityPermission>? Permissions { get; init; }

    /// <summary>Finds a field by key, or null.</summary>
    public FieldDefinition? FindField(string key) => Fields.FirstOrDefault(f => f.Key == key);
}
