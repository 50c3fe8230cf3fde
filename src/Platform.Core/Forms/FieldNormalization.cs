using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>The outcome of normalizing one value: the stored value, or an error message.</summary>
public readonly record struct FieldNormalization(JsonNode? Value, string? Error)
{
    public bool IsValid => Error is null;

    public static FieldNormalization Ok(JsonNode? value) => new(value, null);

    public static FieldNormalization Fail(string error) => new(null, error);
}
