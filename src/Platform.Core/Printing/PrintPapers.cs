namespace Platform.Core.Printing;

/// <summary>The paper sizes a print template may ask for, with the CSS <c>@page</c> size of each.</summary>
public static class PrintPapers
{
    public const string A4Portrait = "a4-portrait";

    public const string A4Landscape = "a4-landscape";

    public static IReadOnlyList<string> All { get; } = [A4Portrait, A4Landscape];

    /// <summary>The value of <c>@page { size: … }</c>.</summary>
    public static string CssSize(string? paper) => paper == A4Landscape ? "A4 landscape" : "A4 portrait";
}
