namespace Platform.Runtime.Execution.Printing;

/// <summary>A rendered print page, or why there is none: no such template, a template that does not compile, or ids with no record.</summary>
public sealed record PrintOutcome(
    string? Html, string? Title, bool TemplateMissing = false, IReadOnlyList<string>? Problems = null, IReadOnlyList<Guid>? MissingIds = null);
