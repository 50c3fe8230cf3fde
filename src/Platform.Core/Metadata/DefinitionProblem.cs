namespace Platform.Core.Metadata;

/// <summary>One problem in an app definition, at the JSON path of the offending value (<c>$.entities[2].fields[3].type</c>).</summary>
public sealed record DefinitionProblem(string Path, string Message);
