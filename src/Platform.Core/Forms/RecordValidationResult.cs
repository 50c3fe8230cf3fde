using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>Normalized data with computed fields, or the errors keyed by field path (<c>items[2].quantity</c>).</summary>
public sealed record RecordValidationResult(
    JsonObject Data,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Errors,
    IReadOnlyList<AutoNumberRequest> AutoNumbers)
{
    public bool IsValid => Errors.Count == 0;
}
