using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>An <see cref="ILookupSource"/> over records held in memory (prefetched rows, tests, dry runs).</summary>
public sealed class DictionaryLookupSource : ILookupSource
{
    private readonly Dictionary<LookupRequest, JsonObject?> found = [];

    public DictionaryLookupSource Add(LookupRequest request, JsonObject? data)
    {
        found[request] = data;
        return this;
    }

    public JsonObject? Find(string entity, string field, string value) =>
        found.TryGetValue(new LookupRequest(entity, field, value), out var data) ? data : null;
}
