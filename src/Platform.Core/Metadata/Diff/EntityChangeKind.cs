namespace Platform.Core.Metadata.Diff;

/// <summary>What kind of change an <see cref="EntityChange"/> describes.</summary>
public enum EntityChangeKind
{
    /// <summary>The entity did not exist before.</summary>
    EntityAdded,

    /// <summary>A property of the entity itself (label, title field, validations) changed.</summary>
    EntityChanged,

    FieldAdded,

    FieldRemoved,

    /// <summary>A field now sits elsewhere on the form (another section, or out of its former order).</summary>
    FieldMoved,

    /// <summary>A property of a field changed; <see cref="EntityChange.Property"/> names it.</summary>
    FieldChanged,

    SectionAdded,

    SectionRemoved,

    /// <summary>A section's title, columns or visibility changed.</summary>
    SectionChanged,
}
