using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>sub-table</c>: rows with their own fields; the validator checks each row against <see cref="FieldDefinition.Fields"/>.</summary>
public sealed class SubTableFieldType : FieldType
{
    public override string Name => "sub-table";

    public override FieldStorage Storage => FieldStorage.Json;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value) =>
        value is JsonArray ? FieldNormalization.Ok(value) : FieldNormalization.Fail("须为行的数组");

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Fields is not { Count: > 0 })
        {
            yield return ("fields", "子表至少需要一个字段");
        }

        if (field.MinRows is { } min && field.MaxRows is { } max && min > max)
        {
            yield return ("minRows", "minRows 不能大于 maxRows");
        }
    }
}
