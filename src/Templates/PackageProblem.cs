namespace Platform.Templates;

/// <summary>A problem found in a package, with the JSON path it concerns.</summary>
public sealed record PackageProblem(string Path, string Message);
