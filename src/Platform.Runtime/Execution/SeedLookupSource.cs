using System.Text.Json.Nodes;
using Platform.Core.Forms;

namespace Platform.Runtime.Execution;

/// <summary>Lookups over the seed rows validated so far, so a package's seed can refer to itself.</summary>
internal sealed class SeedLookupSource : ILookupSource
{
    private readonly List<(string Entity, Guid Id, JsonObject Data)> rows = [];

    public void Add(string entity, Guid id, JsonObject data) => rows.Add((entity, id, data));

    public JsonObject? Find(string entity, string field, string value)
    {
        foreach (var (e, id, data) in rows)
        {
            if (e == entity && (field == "id" ? id.ToString() == value : FieldValues.AsText(data[field]) == value))
            {
                return data;
            }
        }

        return null;
    }
}
