using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>A validated package: problems (none when importable) and its seed rows ready to insert.</summary>
public sealed record CheckedPackage(IReadOnlyList<PackageProblem> Problems, IReadOnlyList<SeedRow> SeedRows);
