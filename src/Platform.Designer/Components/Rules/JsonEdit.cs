using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Designer.Components.Rules;

/// <summary>Reads and writes settings of a definition kept as a JSON object (an absent or empty value removes the property).</summary>
public static class JsonEdit
{
    public static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : o[key]?.ToJsonString();

    public static void SetText(JsonObject o, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            o.Remove(key);
        }
        else
        {
            o[key] = value;
        }
    }

    public static int? Int(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    public static void SetInt(JsonObject o, string key, int? value)
    {
        if (value is null)
        {
            o.Remove(key);
        }
        else
        {
            o[key] = value.Value;
        }
    }

    public static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static void SetBool(JsonObject o, string key, bool value)
    {
        if (value)
        {
            o[key] = true;
        }
        else
        {
            o.Remove(key);
        }
    }

    /// <summary>A list of strings shown as "a, b, c".</summary>
    public static string List(JsonObject? o, string key) => o?[key] is JsonArray a ? string.Join(", ", a.Select(x => x?.ToString())) : string.Empty;

    public static void SetList(JsonObject o, string key, string? text)
    {
        var parts = (text ?? string.Empty).Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            o.Remove(key);
        }
        else
        {
            o[key] = new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        }
    }

    public static JsonObject Object(JsonObject o, string key)
    {
        if (o[key] is JsonObject child)
        {
            return child;
        }

        var created = new JsonObject();
        o[key] = created;
        return created;
    }

    public static JsonArray Array(JsonObject o, string key)
    {
        if (o[key] is JsonArray child)
        {
            return child;
        }

        var created = new JsonArray();
        o[key] = created;
        return created;
    }

    /// <summary>Removes empty objects and arrays left behind by editing.</summary>
    public static void Prune(JsonObject o)
    {
        foreach (var (key, value) in o.ToList())
        {
            if (value is JsonObject child)
            {
                Prune(child);
                if (child.Count == 0)
                {
                    o.Remove(key);
                }
            }
            else if (value is JsonArray { Count: 0 })
            {
                o.Remove(key);
            }
        }
    }

    /// <summary>A literal typed by the analyst: JSON when it parses (numbers, true/false, "text"), else the text itself.</summary>
    public static JsonNode? Literal(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) is JsonValue v ? v : JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    public static string? LiteralText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    public static string Indented(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
