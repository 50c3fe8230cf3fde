using System.Text.Json.Nodes;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>The outcome of server-side validation: normalized data, or errors keyed by field path.</summary>
public sealed record ValidatedRecord(bool IsValid, JsonObject Data, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors, IReadOnlyList<AutoNumberSlot> AutoNumbers);
