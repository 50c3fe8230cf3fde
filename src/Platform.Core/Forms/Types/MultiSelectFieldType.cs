using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>multi-select</c>: a set of option values, stored as an array in option order.</summary>
public sealed class MultiSelectFieldType : FieldType
{
    public override string Name => "multi-select";

    public override FieldStorage Storage => FieldStorage.Json;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        var items = value is JsonArray array ? array.ToList() : [value];
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var text = FieldValues.AsText(item)?.Trim();
            if (text is null)
            {
                return FieldNormalization.Fail("须为选项值的数组");
            }

            if (!OptionChecks.IsOption(field, text))
            {
                return FieldNormalization.Fail($"'{text}' 不是可选项");
            }

            chosen.Add(text);
        }

        var ordered = new JsonArray();
        foreach (var option in field.Options ?? [])
        {
            if (chosen.Contains(option.Value))
            {
                ordered.Add(option.Value);
            }
        }

        return FieldNormalization.Ok(ordered.Count == 0 ? null : ordered);
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field) => OptionChecks.Check(field);
}
