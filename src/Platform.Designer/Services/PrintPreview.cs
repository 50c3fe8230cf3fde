namespace Platform.Designer.Services;

/// <summary>A print template preview: the complete print page, or the problems that keep it from rendering (or neither: no record to show).</summary>
public sealed record PrintPreview(string? Html, IReadOnlyList<string> Problems);
