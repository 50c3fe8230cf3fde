using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>
/// Turns a stored value into what a person reads: option labels, 是/否, dates, money, referenced records and users by
/// name. The runtime's implementation is the export formatting; it resolves names before rendering starts.
/// </summary>
public interface IPrintFormatter
{
    /// <summary>The display text of <paramref name="value"/> of <paramref name="field"/> (one of <paramref name="siblings"/>: an entity's or a sub-table's fields); null for nothing.</summary>
    string? Format(FieldDefinition field, IReadOnlyList<FieldDefinition> siblings, JsonNode? value);
}
