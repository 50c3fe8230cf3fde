using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>select</c>: one of the field's option values.</summary>
public sealed class SelectFieldType : FieldType
{
    public override string Name => "select";

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        var text = FieldValues.AsText(value)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return text is null ? FieldNormalization.Fail("须为选项值") : FieldNormalization.Ok(null);
        }

        return OptionChecks.IsOption(field, text)
            ? FieldNormalization.Ok(JsonValue.Create(text))
            : FieldNormalization.Fail($"'{text}' 不是可选项");
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field) => OptionChecks.Check(field);
}
