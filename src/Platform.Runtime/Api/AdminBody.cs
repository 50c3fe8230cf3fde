using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Api;

/// <summary>
/// Reads typed properties of an administration request body; a property of the wrong JSON type is an error naming it.
/// <see cref="Has"/> tells an absent property (unchanged) from an explicit null (cleared).
/// </summary>
internal sealed class AdminBody(JsonObject body)
{
    public Dictionary<string, IReadOnlyList<string>> Errors { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => body.ContainsKey(name);

    public string? String(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => Wrong<string>(name, "应为字符串 / must be a string"),
    };

    /// <summary>An absent property is null (unchanged); an explicit null is the empty string (clear it).</summary>
    public string? Clearable(string name) => Has(name) ? String(name) ?? string.Empty : null;

    public bool? Bool(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => Wrong<bool?>(name, "应为 true 或 false / must be true or false"),
    };

    public int? Int(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        _ => Wrong<int?>(name, "应为整数 / must be an integer"),
    };

    public IReadOnlyList<string>? Strings(string name)
    {
        if (body[name] is null)
        {
            return null;
        }

        if (body[name] is not JsonArray array || array.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            return Wrong<IReadOnlyList<string>>(name, "应为字符串数组 / must be an array of strings");
        }

        return array.Select(i => i!.GetValue<string>()).ToList();
    }

    private T? Wrong<T>(string name, string message)
    {
        Errors[name] = [message];
        return default;
    }
}
