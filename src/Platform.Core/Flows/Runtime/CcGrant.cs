namespace Platform.Core.Flows.Runtime;

/// <summary>Users copied on a step: they are notified and may read the record.</summary>
public sealed record CcGrant(string Step, IReadOnlyList<string> Users);
