using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// What a measure's figures are — <c>%</c>, <c>count</c>, <c>minutes</c>, <c>hours</c>, <c>days</c>, <c>money</c> — so a chart
/// can give figures of different kinds their own axis and name it. Null when the figures have no known unit (an average
/// rating, a sum of a plain number).
/// </summary>
public static class ReportUnits
{
    public static string? Of(AppDefinition app, ReportDefinition report, string measureKey)
    {
        var measure = report.Measures.FirstOrDefault(m => m.Key == measureKey);
        switch (measure?.Kind)
        {
            case null:
                return null;
            case "ratio":
                return measure.Percent ? "%" : null;
            case "duration":
                return measure.Unit ?? "hours";
            case "count" or "distinct":
                return "count";
        }

        var root = measure.Entity is { } other ? app.FindEntity(other) : ReportValidator.RootOf(app, report);
        if (root is null || measure.Field is null)
        {
            return null;
        }

        var path = ReportPaths.Resolve(app, root, measure.Field, measure.Entity is null && report.Flow is not null, out _);
        return path?.Field?.Type == "money" ? "money" : null;
    }
}
