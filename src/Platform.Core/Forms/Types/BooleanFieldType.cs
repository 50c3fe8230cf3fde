using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>boolean</c>: yes / no.</summary>
public sealed class BooleanFieldType : FieldType
{
    public override string Name => "boolean";

    public override FieldStorage Storage => FieldStorage.Boolean;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.True => FieldNormalization.Ok(JsonValue.Create(true)),
        JsonValueKind.False => FieldNormalization.Ok(JsonValue.Create(false)),
        JsonValueKind.String => value.GetValue<string>().Trim().ToLowerInvariant() switch
        {
            "true" => FieldNormalization.Ok(JsonValue.Create(true)),
            "false" => FieldNormalization.Ok(JsonValue.Create(false)),
            "" => FieldNormalization.Ok(null),
            _ => FieldNormalization.Fail("须为是或否"),
        },
        _ => FieldNormalization.Fail("须为是或否"),
    };

    public override bool IsEmpty(JsonNode? value) => value is null;
}
