using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Numbers out of JSON nodes whatever CLR type backs them (expression results are longs or doubles, stored data are JSON elements).</summary>
public static class JsonNumbers
{
    public static decimal? ToDecimal(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
