using System.Security.Cryptography;
using System.Text;
using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// The narrow copy of an entity's records that reports read instead of the wide JSONB rows: the record's id and audit
/// columns, one typed column per field that reports of the entity use or that is marked <c>indexed</c>, and the entity's
/// user fields (for row permissions) in a small <c>data</c> object. A report reads it only when every value it touches
/// is there; otherwise it reads the records. Date-times the reports bucket by are also kept as their local time.
/// </summary>
public sealed class ReportProjectionShape
{
    /// <summary>
    /// What the stored rows mean; a change rebuilds every projection (2: local times of bucketed date-times; 3: bucket
    /// columns, fixed-width columns first).
    /// </summary>
    public const string Format = "3";

    private const string ColumnPrefix = "f_";

    private const string LocalPrefix = "l_";

    private const string BucketPrefix = "b_";

    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN - 1).</summary>
    private const int MaxIdentifier = 63;

    /// <summary>The units a date-time dimension buckets by, in the order their columns are kept.</summary>
    private static readonly string[] Units = ["day", "week", "month", "quarter", "year"];

    /// <summary>Builds a shape; its hash and table name are computed here, once.</summary>
    public ReportProjectionShape(string app, string entity, IReadOnlyList<ReportProjectionColumn> columns, IReadOnlyList<string> userFields, IReadOnlyList<ReportProjectionLocalTime> localTimes)
        : this(app, entity, columns, userFields, localTimes, [])
    {
    }

    /// <summary>Builds a shape with bucket columns; its hash and table name are computed here, once.</summary>
    public ReportProjectionShape(
        string app, string entity, IReadOnlyList<ReportProjectionColumn> columns, IReadOnlyList<string> userFields, IReadOnlyList<ReportProjectionLocalTime> localTimes,
        IReadOnlyList<ReportProjectionBucket> buckets)
    {
        App = app;
        Entity = entity;
        Columns = columns;
        UserFields = userFields;
        LocalTimes = localTimes;
        Buckets = buckets;
        Hash = Hex(string.Join(
            "\n",
            new[] { Format, App, Entity }
                .Concat(Columns.Select(c => $"{c.Field}:{c.Column}:{c.Kind}"))
                .Concat(UserFields.Select(u => "user:" + u))
                .Concat(LocalTimes.Select(l => $"local:{l.Path}:{l.Column}"))
                .Concat(Buckets.Select(b => $"bucket:{b.Path}:{b.Unit}:{b.Column}"))))[..32];
        Table = "report_facts_" + Hash[..16];
    }

    public string App { get; }

    public string Entity { get; }

    /// <summary>The typed columns, in field order.</summary>
    public IReadOnlyList<ReportProjectionColumn> Columns { get; }

    /// <summary>The user fields kept under their keys in the projection's <c>data</c> column.</summary>
    public IReadOnlyList<string> UserFields { get; }

    /// <summary>The date-times kept as local time too (those a report dimension buckets by).</summary>
    public IReadOnlyList<ReportProjectionLocalTime> LocalTimes { get; }

    /// <summary>The date/time buckets the entity's report dimensions group by, each kept as its first day.</summary>
    public IReadOnlyList<ReportProjectionBucket> Buckets { get; }

    /// <summary>A stable hash of everything the stored rows depend on (format, app, entity, columns, user fields, local times, buckets).</summary>
    public string Hash { get; }

    /// <summary>The table's name; a new shape gets a new table, so a reader of the old one fails rather than reads wrong columns.</summary>
    public string Table { get; }

    /// <summary>The local-time column of <paramref name="path"/> (createdAt, updatedAt or a datetime field's key), or null.</summary>
    public ReportProjectionLocalTime? LocalTimeOf(string path) => LocalTimes.FirstOrDefault(l => l.Path == path);

    /// <summary>The bucket column of <paramref name="path"/> by <paramref name="unit"/> (day, week, month, quarter, year), or null.</summary>
    public ReportProjectionBucket? BucketOf(string path, string unit) => Buckets.FirstOrDefault(b => b.Path == path && b.Unit == unit);

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
        var bucketed = new HashSet<string>(StringComparer.Ordinal);
        var units = new List<(string Path, string Unit)>();
        foreach (var dimension in reports.SelectMany(r => r.Dimensions))
        {
            // Date-time dimensions of the entity's own rows: flow times come from a join, a path along references from its target.
            if (ReportPaths.Resolve(app, entity, dimension.Field, false, out _) is { Hops.Count: 0, Kind: ReportValueKind.Instant } instant
                && (instant.Field is not null || instant.System is "createdAt" or "updatedAt"))
            {
                var key = instant.Field?.Key ?? instant.System!;
                bucketed.Add(key);
                var unit = BucketUnit(dimension.Bucket);
                if (!units.Contains((key, unit)))
                {
                    units.Add((key, unit));
                }
            }
        }

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

        var locals = new List<ReportProjectionLocalTime>();
        foreach (var path in new[] { "createdAt", "updatedAt" }.Concat(entity.Fields.Select(f => f.Key)).Where(bucketed.Contains))
        {
            var column = LocalPrefix + path switch { "createdAt" => "created_at", "updatedAt" => "updated_at", _ => path };
            if (column.Length <= MaxIdentifier && locals.All(l => l.Column != column) && (path is "createdAt" or "updatedAt" || columns.Any(c => c.Field == path)))
            {
                locals.Add(new ReportProjectionLocalTime(path, column));
            }
        }

        // A bucket column beside each local time, for every unit a dimension groups it by.
        var buckets = new List<ReportProjectionBucket>();
        foreach (var local in locals)
        {
            foreach (var (_, unit) in units.Where(u => u.Path == local.Path).OrderBy(u => Array.IndexOf(Units, u.Unit)))
            {
                var column = BucketPrefix + local.Column[LocalPrefix.Length..] + "_" + unit;
                if (column.Length <= MaxIdentifier)
                {
                    buckets.Add(new ReportProjectionBucket(local.Path, unit, column));
                }
            }
        }

        return new ReportProjectionShape(app.Key, entity.Key, columns, users, locals, buckets);
    }

    /// <summary>The unit of a dimension's bucket on a date-time: no bucket is a day.</summary>
    public static string BucketUnit(string? bucket) => bucket is "month" or "year" or "quarter" or "week" ? bucket : "day";

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
