using System.Security.Cryptography;
using System.Text;
using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// The narrow copy of an entity's records that reports read instead of the wide JSONB rows: the record's id and audit
/// columns, one typed column per field that reports of the entity use or that is marked <c>indexed</c>, and the entity's
/// user fields (for row permissions) in a small <c>data</c> object. A report reads it only when every value it touches
/// is there; otherwise it reads the records.
/// </summary>
public sealed record ReportProjectionShape
{
    /// <summary>What the stored rows mean; a change rebuilds every projection.</summary>
    public const string Format = "1";

    private const string ColumnPrefix = "f_";

    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN - 1).</summary>
    private const int MaxIdentifier = 63;

    public required string App { get; init; }

    public required string Entity { get; init; }

    /// <summary>The typed columns, in field order.</summary>
    public required IReadOnlyList<ReportProjectionColumn> Columns { get; init; }

    /// <summary>The user fields kept under their keys in the projection's <c>data</c> column.</summary>
    public required IReadOnlyList<string> UserFields { get; init; }

    /// <summary>A stable hash of everything the stored rows depend on (format, app, entity, columns, user fields).</summary>
    public string Hash => Hex(string.Join(
        "\n",
        new[] { Format, App, Entity }.Concat(Columns.Select(c => $"{c.Field}:{c.Column}:{c.Kind}")).Concat(UserFields.Select(u => "user:" + u))))[..32];

    /// <summary>The table's name; a new shape gets a new table, so a reader of the old one fails rather than reads wrong columns.</summary>
    public string Table => "report_facts_" + Hash[..16];

    /// <summary>The column of a field of the entity, or null when the projection does not keep it as a column.</summary>
    public ReportProjectionColumn? ColumnOf(string field) => Columns.FirstOrDefault(c => c.Field == field);

    /// <summary>
    /// The projection of <paramref name="entity"/>, or null when no report reads the entity as its source (a projection
    /// nothing reads would only slow the writes down).
    /// </summary>
    public static ReportProjectionShape? Of(AppDefinition app, EntityDefinition entity)
    {
        var reports = app.Reports.Where(r => r.Entity == entity.Key && r.Flow is null).ToList();
        if (reports.Count == 0)
        {
            return null;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in reports.SelectMany(Paths))
        {
            var path = ReportPaths.Resolve(app, entity, field, false, out _);
            if (path is null)
            {
                continue;
            }

            // A path along references starts from a field of this entity: the join reads it from here.
            if (path.Hops.Count > 0)
            {
                used.Add(path.Hops[0].Via.Key);
            }
            else if (path.Field is { } own)
            {
                used.Add(own.Key);
            }
        }

        var columns = new List<ReportProjectionColumn>();
        var users = new List<string>();
        foreach (var field in entity.Fields)
        {
            if (field.Type == "user")
            {
                users.Add(field.Key);
                continue;
            }

            if ((field.Indexed || used.Contains(field.Key)) && ColumnPrefix.Length + field.Key.Length <= MaxIdentifier)
            {
                columns.Add(new ReportProjectionColumn(field.Key, ColumnPrefix + field.Key, ReportPaths.KindOf(field)));
            }
        }

        return new ReportProjectionShape { App = app.Key, Entity = entity.Key, Columns = columns, UserFields = users };
    }

    /// <summary>Every field path a report names: dimensions, measures (and their conditions), filters and parameters.</summary>
    public static IEnumerable<string> Paths(ReportDefinition report)
    {
        foreach (var dimension in report.Dimensions)
        {
            yield return dimension.Field;
        }

        foreach (var measure in report.Measures.Where(m => m.Entity is null))
        {
            foreach (var field in new[] { measure.Field, measure.From, measure.To }.Concat(measure.Where.Select(w => w.Field)))
            {
                if (field is not null)
                {
                    yield return field;
                }
            }
        }

        foreach (var filter in report.Filters)
        {
            yield return filter.Field;
        }

        foreach (var parameter in report.Parameters)
        {
            yield return parameter.Field;
        }
    }

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
