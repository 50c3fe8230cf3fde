using Microsoft.AspNetCore.Http;
using Platform.Runtime.Execution.Reports;

namespace Platform.Runtime.Api;

/// <summary>Reads a report request from the query string: parameters by key, repeatable <c>filter</c>, and <c>point.{dimension}</c> for drill-downs.</summary>
public static class ReportQuery
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "filter", "page", "pageSize", "measure", "format", "drill", "sort" };

    public static ReportRequest Request(IQueryCollection query, DateTimeOffset now)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (!Reserved.Contains(key) && !key.StartsWith("point.", StringComparison.Ordinal) && value.Count > 0)
            {
                parameters[key] = value[^1] ?? string.Empty;
            }
        }

        return new ReportRequest(parameters, query["filter"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToList(), now);
    }

    public static Dictionary<string, string?> Point(IQueryCollection query) =>
        query.Where(q => q.Key.StartsWith("point.", StringComparison.Ordinal)).ToDictionary(q => q.Key["point.".Length..], q => (string?)q.Value[^1], StringComparer.Ordinal);
}
