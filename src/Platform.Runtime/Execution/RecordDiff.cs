using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution;

/// <summary>Field-level differences between two versions of a record, as stored in the audit log.</summary>
public static class RecordDiff
{
    /// <summary><c>{ field: { before, after } }</c> for every field whose value differs.</summary>
    public static JsonObject Changes(JsonObject before, JsonObject after)
    {
        var changes = new JsonObject();
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
        {
            before.TryGetPropertyValue(key, out var b);
            after.TryGetPropertyValue(key, out var a);
            if (!JsonNode.DeepEquals(b, a))
            {
                changes[key] = new JsonObject { ["before"] = b?.DeepClone(), ["after"] = a?.DeepClone() };
            }
        }

        return changes;
    }

    /// <summary><c>{ field: after }</c> for every field whose value differs (null when it was removed).</summary>
    public static JsonObject ChangedValues(JsonObject before, JsonObject after)
    {
        var changed = new JsonObject();
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
        {
            before.TryGetPropertyValue(key, out var b);
            after.TryGetPropertyValue(key, out var a);
            if (!JsonNode.DeepEquals(b, a))
            {
                changed[key] = a?.DeepClone();
            }
        }

        return changed;
    }
}
