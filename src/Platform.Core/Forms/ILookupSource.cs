using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>Answers the validator's lookups from records the runtime fetched beforehand (the engine does no I/O).</summary>
public interface ILookupSource
{
    /// <summary>The data of the record of <paramref name="entity"/> whose <paramref name="field"/> equals <paramref name="value"/>
    /// (<c>id</c> matches the record id), or null.</summary>
    JsonObject? Find(string entity, string field, string value);
}
