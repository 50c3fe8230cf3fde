using System.Text;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// One FROM clause being built: the source rows (<c>s</c> records, or <c>h</c> step visits of <c>fi</c>
/// instances of <c>s</c> records), plus a left join per reference hop and per flow lookup, each added once.
/// Every name in it comes from resolved metadata. Over a report <paramref name="projection"/> the source rows are the
/// projection's; a value it does not keep sets <see cref="Missed"/> (the caller then compiles over the records).
/// </summary>
internal sealed class ReportSqlScope(AppDefinition app, EntityDefinition root, string? flow, ReportProjectionShape? projection = null)
{
    private readonly Dictionary<string, string> hopAliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> flowAliases = new(StringComparer.Ordinal);
    private readonly StringBuilder joins = new();

    public AppDefinition App { get; } = app;

    public EntityDefinition Root { get; } = root;

    public bool Visits => flow is not null;

    /// <summary>True when a value was asked for that the projection does not keep.</summary>
    public bool Missed { get; private set; }

    /// <summary>The FROM clause with its joins, and the conditions that pick the source rows.</summary>
    public (string From, string Where) Source()
    {
        var appLiteral = SqlIdentifiers.Literal(App.Key);
        if (flow is null && projection is not null)
        {
            // The projection holds only this entity's rows.
            return ($"{SqlIdentifiers.Name(projection.Table)} s{joins}", "true");
        }

        if (flow is null)
        {
            return ($"records s{joins}", $"s.app_key = {appLiteral} and s.entity_key = {SqlIdentifiers.Literal(Root.Key)}");
        }

        var definition = App.FindFlow(flow)!;
        var edges = definition.Steps.Where(x => x.Type is "start" or "end" or "gateway" or "parallel" or "join" or "cc").Select(x => SqlIdentifiers.Literal(x.Key)).ToList();
        var notEdges = edges.Count == 0 ? string.Empty : $" and h.step not in ({string.Join(", ", edges)})";
        return (
            "flow_history h join flow_instances fi on fi.id = h.instance_id join records s on s.id = fi.record_id"
            + " left join lateral (select min(n.at) as left_at from flow_history n where n.instance_id = h.instance_id and n.seq > h.seq and n.action in ('enter', 'end')) lv on true"
            + joins,
            $"fi.app_key = {appLiteral} and fi.flow_key = {SqlIdentifiers.Literal(flow)} and h.action = 'enter'{notEdges}");
    }

    /// <summary>The typed SQL value of a path: numeric, boolean, timestamptz (instants), text (dates as yyyy-MM-dd, others) or jsonb (lists).</summary>
    public string Value(ReportPath path)
    {
        if (path.OfVisit)
        {
            return path.System switch
            {
                "step" => "h.step",
                "enteredAt" => "h.at",
                _ => "lv.left_at",
            };
        }

        var alias = Alias(path.Hops);
        if (path.System is { } system)
        {
            return system switch
            {
                "id" => $"{alias}.id::text",
                "createdAt" => $"{alias}.created_at",
                "updatedAt" => $"{alias}.updated_at",
                "createdBy" => $"{alias}.created_by",
                "updatedBy" => $"{alias}.updated_by",
                "flow.status" => $"{FlowAlias(alias)}.status",
                "flow.startedAt" => $"{FlowAlias(alias)}.started_at",
                _ => $"{FlowAlias(alias)}.ended_at",
            };
        }

        var key = SqlIdentifiers.Literal(path.Field!.Key);
        if (alias == "s" && Projected(path.Field) is { } projected)
        {
            return projected;
        }

        return path.Kind switch
        {
            ReportValueKind.Number => $"(({alias}.data->>{key})::numeric)",
            ReportValueKind.Boolean => $"(({alias}.data->>{key})::boolean)",
            ReportValueKind.Instant => $"(({alias}.data->>{key})::timestamptz)",
            ReportValueKind.List => $"({alias}.data->{key})",
            _ => $"({alias}.data->>{key})",
        };
    }

    /// <summary>A date/time value as a timestamptz (dates at midnight China time).</summary>
    public string Moment(ReportPath path) =>
        path.Kind == ReportValueKind.Date ? $"(({Value(path)})::date::timestamp at time zone 'Asia/Shanghai')" : Value(path);

    /// <summary>The grouping text of a dimension: bucket keys (2026-03, 2026-Q1, 2026-W as Monday's date) for dates, raw text otherwise.</summary>
    public string Dimension(ReportPath path, string? bucket)
    {
        var value = Value(path);
        if (path.Kind == ReportValueKind.Date)
        {
            return (bucket ?? "day") switch
            {
                "day" => value,
                "month" => $"left({value}, 7)",
                "year" => $"left({value}, 4)",
                "quarter" => $"(left({value}, 4) || '-Q' || ((substr({value}, 6, 2)::int + 2) / 3))",
                _ => $"to_char(date_trunc('week', ({value})::date), 'YYYY-MM-DD')",
            };
        }

        if (path.Kind == ReportValueKind.Instant)
        {
            // A projection's bucket column is a date (the bucket's first day), formatted as the truncated local time is.
            var truncated = ProjectedBucket(path, bucket) is { } column ? $"({column})::timestamp" : GroupKey(path, bucket)!;
            return (bucket ?? "day") switch
            {
                "day" or "week" => $"to_char({truncated}, 'YYYY-MM-DD')",
                "month" => $"to_char({truncated}, 'YYYY-MM')",
                "year" => $"to_char({truncated}, 'YYYY')",
                _ => $"to_char({truncated}, 'YYYY-\"Q\"Q')",
            };
        }

        return path.Kind is ReportValueKind.Number or ReportValueKind.Boolean ? $"({value})::text" : value;
    }

    /// <summary>
    /// What to group a date/time dimension by: the moment truncated to its bucket (China time), of which the
    /// <see cref="Dimension"/> text is a function, so the text is formatted once per group rather than per row.
    /// Null for other dimensions (grouped by their text).
    /// </summary>
    public string? GroupKey(ReportPath path, string? bucket) =>
        path.Kind == ReportValueKind.Instant ? ProjectedBucket(path, bucket) ?? $"date_trunc('{Unit(bucket)}', {LocalTime(path)})" : null;

    /// <summary>The projection's bucket column of a date-time of the source row (a date: the bucket's first day), or null.</summary>
    private string? ProjectedBucket(ReportPath path, string? bucket) =>
        projection is not null && !Visits && path.Hops.Count == 0 && (path.Field?.Key ?? path.System) is { } key && projection.BucketOf(key, Unit(bucket)) is { } column
            ? "s." + SqlIdentifiers.Name(column.Column)
            : null;

    /// <summary>A date-time as China local time (a timestamp): the projection's column of it when it keeps one, else converted per row.</summary>
    private string LocalTime(ReportPath path)
    {
        if (projection is not null && !Visits && path.Hops.Count == 0 && (path.Field?.Key ?? path.System) is { } key && projection.LocalTimeOf(key) is { } local)
        {
            return "s." + SqlIdentifiers.Name(local.Column);
        }

        return $"({Value(path)} at time zone 'Asia/Shanghai')";
    }

    private static string Unit(string? bucket) => ReportProjectionShape.BucketUnit(bucket);

    /// <summary>
    /// A field of a projection row: its typed column (datetimes are kept as their text and cast here, as over the records),
    /// a user field from the projection's data; null over the records.
    /// </summary>
    private string? Projected(FieldDefinition field)
    {
        if (projection is null || Visits)
        {
            return null;
        }

        if (field.Type == "user" && projection.UserFields.Contains(field.Key))
        {
            return null;
        }

        if (projection.ColumnOf(field.Key) is not { } column)
        {
            Missed = true;
            return "null";
        }

        var name = "s." + SqlIdentifiers.Name(column.Column);
        return column.Kind == ReportValueKind.Instant ? $"(({name})::timestamptz)" : $"({name})";
    }

    private string Alias(IReadOnlyList<ReportHop> hops)
    {
        var alias = "s";
        foreach (var hop in hops)
        {
            if (!hopAliases.TryGetValue(hop.Prefix, out var next))
            {
                next = "j" + (hopAliases.Count + 1);
                hopAliases[hop.Prefix] = next;
                var raw = alias == "s" && Projected(hop.Via) is { } projected ? projected : $"{alias}.data->>{SqlIdentifiers.Literal(hop.Via.Key)}";
                var match = hop.MatchField is { } matchField
                    ? $"({next}.data->>{SqlIdentifiers.Literal(matchField)}) = ({raw})"
                    : $"{next}.id = (case when ({raw}) ~* '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$' then ({raw})::uuid end)";
                joins.Append($" left join records {next} on {next}.app_key = {SqlIdentifiers.Literal(App.Key)} and {next}.entity_key = {SqlIdentifiers.Literal(hop.Target.Key)} and {match}");
            }

            alias = next;
        }

        return alias;
    }

    private string FlowAlias(string recordAlias)
    {
        if (Visits && recordAlias == "s")
        {
            return "fi";
        }

        if (!flowAliases.TryGetValue(recordAlias, out var alias))
        {
            alias = "f" + (flowAliases.Count + 1);
            flowAliases[recordAlias] = alias;
            joins.Append($" left join lateral (select x.status, x.started_at, x.ended_at from flow_instances x where x.record_id = {recordAlias}.id order by x.started_at desc limit 1) {alias} on true");
        }

        return alias;
    }
}
