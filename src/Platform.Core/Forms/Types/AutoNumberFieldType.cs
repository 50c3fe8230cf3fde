using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>auto-number</c>: assigned at save from its pattern and a gapless sequence; never taken from the client.</summary>
public sealed class AutoNumberFieldType : FieldType
{
    public override string Name => "auto-number";

    public override bool AcceptsInput => false;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value) => FieldNormalization.Ok(value.DeepClone());

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (string.IsNullOrWhiteSpace(field.AutoNumber))
        {
            yield return ("autoNumber", "自动编号字段须设置 autoNumber 规则，如 RT{yyyyMMdd}{seq:4}");
        }
        else if (!AutoNumberPattern.TryParse(field.AutoNumber, out _, out var error))
        {
            yield return ("autoNumber", error);
        }
    }
}
