using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Rules;

/// <summary>A JSON number as a decimal, whatever CLR type backs it (expression results are longs or doubles); strings are not numbers here.</summary>
public static class JsonNumbers
{
    public static decimal? ToDecimal(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? Platform.Core.Forms.FieldValues.AsDecimal(v)
            : null;
}
