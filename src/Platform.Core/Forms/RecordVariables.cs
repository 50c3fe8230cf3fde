using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>
/// A live view of a record (or sub-table row) as expression variables: every field key of the definition,
/// null when empty, plus <c>$record</c> for rows. Reads the current data, so computed values are seen at once.
/// </summary>
internal sealed class RecordVariables(JsonObject data, IReadOnlyList<string> keys, JsonObject? parent) : IReadOnlyDictionary<string, JsonNode?>
{
    public const string ParentName = "$record";

    public int Count => keys.Count + (parent is null ? 0 : 1);

    public IEnumerable<string> Keys => parent is null ? keys : keys.Append(ParentName);

    public IEnumerable<JsonNode?> Values => Keys.Select(k => this[k]);

    public JsonNode? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => (parent is not null && key == ParentName) || keys.Contains(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonNode? value)
    {
        if (parent is not null && key == ParentName)
        {
            value = parent;
            return true;
        }

        if (!keys.Contains(key))
        {
            value = null;
            return false;
        }

        value = data.TryGetPropertyValue(key, out var v) ? v : null;
        return true;
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator()
    {
        foreach (var key in keys)
        {
            yield return new(key, data.TryGetPropertyValue(key, out var v) ? v : null);
        }

        if (parent is not null)
        {
            yield return new(ParentName, parent);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
