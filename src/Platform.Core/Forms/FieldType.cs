using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>
/// A field type registered under a stable name. It normalizes one submitted value (type, format,
/// static ranges) and checks its own settings in a definition. Cross-field behaviour (visibility,
/// required-when, formulas, lookups) is the <see cref="RecordValidator"/>'s.
/// </summary>
public abstract class FieldType
{
    /// <summary>The stable type name used in metadata, e.g. <c>phone</c>.</summary>
    public abstract string Name { get; }

    /// <summary>False for types whose value the server computes (formula, auto-number).</summary>
    public virtual bool AcceptsInput => true;

    /// <summary>How the value is stored, used for SQL expression indexes and sorting.</summary>
    public virtual FieldStorage Storage => FieldStorage.Text;

    /// <summary>Converts a non-null submitted value to its stored form, or explains why it is not valid.</summary>
    public abstract FieldNormalization Normalize(FieldDefinition field, JsonNode value);

    /// <summary>Display names a field of this type may set in <see cref="FieldDefinition.Display"/>; none by default.</summary>
    public virtual IReadOnlyCollection<string> Displays => [];

    /// <summary>Problems with the field's own settings, as (relative JSON path, message).</summary>
    public virtual IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field) => [];

    /// <summary>Whether a stored value counts as "not filled in" for required checks.</summary>
    public virtual bool IsEmpty(JsonNode? value) => FieldValues.IsEmpty(value);
}
