namespace Platform.Core.Printing;

/// <summary>A problem in a print template's HTML, at a character offset of the template text.</summary>
public sealed record PrintTemplateProblem(int Offset, string Message)
{
    /// <summary>The message prefixed with the 1-based line and column of <see cref="Offset"/> in <paramref name="html"/>.</summary>
    public string Describe(string html)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < Offset && i < html.Length; i++)
        {
            if (html[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return $"第 {line} 行第 {column} 列：{Message}";
    }
}
