using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Core.Reports;

/// <summary>
/// A relative period, <c>30d</c>, <c>8w</c>, <c>12m</c>, <c>1y</c>, for the two relative operators: <c>within</c> (back from now,
/// the current day, month or year included) and <c>previous</c> (that many whole periods before the current one, which is left out
/// so that a monthly trend does not end on a partial month).
/// </summary>
public static partial class ReportPeriod
{
    // Years stop at 999 so the start stays a representable date; \z, not $, so "1d\n" is not a period.
    [GeneratedRegex("^(?:([1-9][0-9]{0,3})([dwm])|([1-9][0-9]{0,2})y)\\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? text) => text is not null && Pattern().IsMatch(text);

    /// <summary>Whether <paramref name="op"/> takes a relative period (<c>within</c> or <c>previous</c>).</summary>
    public static bool IsRelativeOp(string op) => op is "within" or "previous";

    /// <summary>
    /// [start, end) of a relative period at <paramref name="now"/>: for <c>within</c> from <see cref="Start"/> with no end, for
    /// <c>previous</c> the whole periods before the current day (d, w), month (m) or year (y), ending where the current one begins.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset? End) Bounds(string op, string text, DateTimeOffset now)
    {
        if (op != "previous")
        {
            return (Start(text, now), null);
        }

        var (n, unit) = Parse(text);
        var local = now.ToOffset(Forms.ChinaTime.Offset);
        var end = unit switch
        {
            "m" => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Forms.ChinaTime.Offset),
            "y" => new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, Forms.ChinaTime.Offset),
            _ => new DateTimeOffset(local.Date, Forms.ChinaTime.Offset),
        };
        var start = unit switch
        {
            "d" => end.AddDays(-n),
            "w" => end.AddDays(-7 * n),
            "m" => end.AddMonths(-n),
            _ => end.AddYears(-n),
        };
        return (start, end);
    }

    private static (int N, string Unit) Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new ArgumentException($"'{text}' is not a period such as 30d or 12m.", nameof(text));
        }

        var n = int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[3].Value, CultureInfo.InvariantCulture);
        return (n, match.Groups[2].Success ? match.Groups[2].Value : "y");
    }

    /// <summary>The start of the period ending at <paramref name="now"/>, at midnight China time.</summary>
    public static DateTimeOffset Start(string text, DateTimeOffset now)
    {
        var (n, unit) = Parse(text);
        var local = now.ToOffset(Forms.ChinaTime.Offset);
        var today = new DateTimeOffset(local.Date, Forms.ChinaTime.Offset);
        return unit switch
        {
            "d" => today.AddDays(-n + 1),
            "w" => today.AddDays(-7 * n + 1),
            "m" => new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Forms.ChinaTime.Offset).AddMonths(-n + 1),
            _ => new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, Forms.ChinaTime.Offset).AddYears(-n + 1),
        };
    }
}
