using Platform.Core.Metadata;

namespace Platform.Designer.Components.Forms;

/// <summary>
/// Where one input of a form sits: a field of the record (<see cref="Table"/> null, path = key) or a cell of a
/// sub-table row (path <c>items[2].quantity</c>, the way the validator and the API name errors).
/// </summary>
public sealed record FieldCell(FieldDefinition Field, string? Table = null, int Row = -1)
{
    public string Key => Field.Key;

    public bool InRow => Table is not null;

    /// <summary>The error path of this input.</summary>
    public string Path => Table is null ? Field.Key : $"{Table}[{Row}].{Field.Key}";

    /// <summary>The top-level field this input belongs to (the sub-table for a cell).</summary>
    public string TopKey => Table ?? Field.Key;
}
