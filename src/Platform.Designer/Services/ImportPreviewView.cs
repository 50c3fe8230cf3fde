using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>
/// A package as the import dialog shows it before anything is written: the app it would create (or the installed version it
/// would replace), its definitions and seed rows, or every problem at its JSON path.
/// </summary>
public sealed record ImportPreviewView(
    AppDefinition? App,
    int? InstalledVersion,
    IReadOnlyDictionary<string, int> SeedRows,
    IReadOnlyList<DefinitionProblem> Problems)
{
    public bool CanImport => App is not null && Problems.Count == 0;
}
