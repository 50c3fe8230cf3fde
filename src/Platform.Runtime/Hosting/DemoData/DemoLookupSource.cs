using System.Text.Json.Nodes;
using Platform.Core.Forms;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>Lookups over the demo records validated so far, indexed so thousands of rows validate quickly.</summary>
internal sealed class DemoLookupSource : ILookupSource
{
    private readonly Dictionary<string, (string Entity, JsonObject Data)> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> byEntity = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Entity, string Field), Dictionary<string, JsonObject>> indexes = [];

    public void Add(string entity, Guid id, JsonObject data)
    {
        byId[id.ToString()] = (entity, data);
        if (!byEntity.TryGetValue(entity, out var list))
        {
            byEntity[entity] = list = [];
        }

        list.Add(data);
        foreach (var key in indexes.Keys.Where(k => k.Entity == entity).ToList())
        {
            indexes.Remove(key);
        }
    }

    public JsonObject? Find(string entity, string field, string value)
    {
        if (field == "id")
        {
            return byId.TryGetValue(value, out var hit) && hit.Entity == entity ? hit.Data : null;
        }

        if (!indexes.TryGetValue((entity, field), out var index))
        {
            index = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var data in byEntity.GetValueOrDefault(entity) ?? [])
            {
                if (FieldValues.AsText(data[field]) is { } text)
                {
                    index.TryAdd(text, data);
                }
            }

            indexes[(entity, field)] = index;
        }

        return index.GetValueOrDefault(value);
    }
}
