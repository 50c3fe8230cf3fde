using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>reference</c>: the id of a record of another entity (existence is checked by the validator's lookup source).</summary>
public sealed class ReferenceFieldType : FieldType
{
    public override string Name => "reference";

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        var text = FieldValues.AsText(value)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return text is null ? FieldNormalization.Fail("须为记录编号") : FieldNormalization.Ok(null);
        }

        return Guid.TryParse(text, out var id)
            ? FieldNormalization.Ok(JsonValue.Create(id.ToString()))
            : FieldNormalization.Fail("须为记录编号");
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Reference is null || string.IsNullOrWhiteSpace(field.Reference.Entity))
        {
            yield return ("reference", "关联字段须设置 reference.entity");
        }
    }
}
