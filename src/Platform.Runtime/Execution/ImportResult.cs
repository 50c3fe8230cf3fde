using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>What an import did, or every problem that stopped it.</summary>
public sealed record ImportResult(string? AppKey, int Version, bool Created, int SeededRecords, IReadOnlyList<PackageProblem> Problems);
