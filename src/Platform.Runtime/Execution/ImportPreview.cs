using Platform.Core.Metadata;
using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>
/// What an import would create, computed without writing: the mapped app (null when the package could not be read),
/// the installed version it would replace (null for a new app), seed rows per entity and every problem.
/// </summary>
public sealed record ImportPreview(AppDefinition? App, int? InstalledVersion, IReadOnlyDictionary<string, int>? SeedRows, IReadOnlyList<PackageProblem> Problems);
