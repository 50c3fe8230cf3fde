using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// The request with the viewer's permissions: reports count only records the viewer may read, and the viewer's
    /// filters and parameters may not name fields hidden from them (a count per guessed value would reveal them).
    /// </summary>
    public static async Task<ReportRequest> RequestAsync(HttpContext http, Platform.Core.Metadata.AppDefinition app, DateTimeOffset now, CancellationToken ct)
    {
        var access = http.RequestServices.GetRequiredService<Execution.Access.RecordAccess>();
        return Request(http.Request.Query, now) with
        {
            Rows = await access.ReportRowsAsync(app, http.User, ct),
            Visible = await access.ReportPathsAsync(app, http.User, ct),
            HiddenLabels = await access.HiddenLabelsAsync(app, http.User, ct),
        };
    }

    public static Dictionary<string, string?> Point(IQueryCollection query) =>
        query.Where(q => q.Key.StartsWith("point.", StringComparison.Ordinal)).ToDictionary(q => q.Key["point.".Length..], q => (string?)q.Value[^1], StringComparer.Ordinal);
}
