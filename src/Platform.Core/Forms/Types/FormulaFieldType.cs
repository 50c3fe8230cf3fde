using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>formula</c>: computed on the server from the formula expression; never taken from the client.</summary>
public sealed class FormulaFieldType : FieldType
{
    public override string Name => "formula";

    public override bool AcceptsInput => false;

    public override FieldStorage Storage => FieldStorage.Number;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value) => FieldNormalization.Ok(value.DeepClone());

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (string.IsNullOrWhiteSpace(field.Formula))
        {
            yield return ("formula", "公式字段须设置 formula");
        }
    }
}
