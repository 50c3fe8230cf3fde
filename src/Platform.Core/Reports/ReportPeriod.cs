using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Core.Reports;

/// <summary>A period back from now for the <c>within</c> operator: <c>30d</c>, <c>8w</c>, <c>12m</c>, <c>1y</c>.</summary>
public static partial class ReportPeriod
{
    // Years stop at 999 so the start stays a representable date; \z, not $, so "1d\n" is not a period.
    [GeneratedRegex("^(?:([1-9][0-9]{0,3})([dwm])|([1-9][0-9]{0,2})y)\\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? text) => text is not null && Pattern().IsMatch(text);

    /// <summary>The start of the period ending at <paramref name="now"/>, at midnight China time.</summary>
    public static DateTimeOffset Start(string text, DateTimeOffset now)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new ArgumentException($"'{text}' is not a period such as 30d or 12m.", nameof(text));
        }

        var n = int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[3].Value, CultureInfo.InvariantCulture);
        var local = now.ToOffset(Forms.ChinaTime.Offset);
        var today = new DateTimeOffset(local.Date, Forms.ChinaTime.Offset);
        return (match.Groups[2].Success ? match.Groups[2].Value : "y") switch
        {
            "d" => today.AddDays(-n + 1),
            "w" => today.AddDays(-7 * n + 1),
            "m" => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Forms.ChinaTime.Offset).AddMonths(-n + 1),
            _ => new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, Forms.ChinaTime.Offset).AddYears(-n + 1),
        };
    }
}
