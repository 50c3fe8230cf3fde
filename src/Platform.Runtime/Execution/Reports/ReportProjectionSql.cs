using Platform.Core.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// The DDL of a report projection: its table, the trigger function that keeps it in the writing transaction (an
/// <see cref="EntityTriggerSql"/>: static SQL, so its plan is cached per session) and the backfill. Names come from the shape (metadata
/// keys and a hash); no value is put into the text.
/// </summary>
public static class ReportProjectionSql
{
    private const string SystemColumns = "id, created_at, updated_at, created_by, updated_by, owner_department, data";

    /// <summary>The statements that create the projection, its triggers and fill it from the records, in order.</summary>
    public static IReadOnlyList<string> Create(ReportProjectionShape shape)
    {
        var table = SqlIdentifiers.Name(shape.Table);
        var names = shape.Columns.Select(c => SqlIdentifiers.Name(c.Column)).Concat(shape.LocalTimes.Select(l => SqlIdentifiers.Name(l.Column))).ToList();
        var types = shape.Columns.Select(c => Type(c.Kind)).Concat(shape.LocalTimes.Select(_ => "timestamp")).ToList();
        var definitions = string.Concat(names.Select((n, i) => $", {n} {types[i]}"));
        var columns = SystemColumns + string.Concat(names.Select(n => ", " + n));
        var updates = string.Join(", ", columns.Split(", ").Skip(1).Select(c => $"{c} = excluded.{c}"));
        var app = SqlIdentifiers.Literal(shape.App);
        var entity = SqlIdentifiers.Literal(shape.Entity);
        var body = $"""
            begin
              if tg_op = 'DELETE' then
                delete from {table} where id = old.id;
              else
                insert into {table} ({columns}) values ({Values(shape, "new")})
                on conflict (id) do update set {updates};
              end if;
              return null;
            end
            """;
        return
        [
            $"create table {table} (id uuid primary key, created_at timestamptz, updated_at timestamptz, created_by text, updated_by text, owner_department text, data jsonb not null{definitions})",
            .. EntityTriggerSql.Create(shape.Table + "_sync", shape.Table, shape.App, shape.Entity, body),
            $"insert into {table} ({columns}) select {Values(shape, "r")} from records r where r.app_key = {app} and r.entity_key = {entity}",
        ];
    }

    /// <summary>The statements that remove a projection table and its triggers (by the table's name, which holds the shape's hash).</summary>
    public static IReadOnlyList<string> Drop(string tableName) =>
        [
            .. EntityTriggerSql.Drop(tableName + "_sync", tableName),
            $"drop table if exists {SqlIdentifiers.Name(tableName)}",
        ];

    /// <summary>
    /// The projection row of the records row <paramref name="row"/>. Numbers and booleans are converted as the reports' casts
    /// of <c>data->>key</c> convert them (a JSON number or boolean directly; text through the cast), null where the cast fails;
    /// dates and datetimes stay text (reports cast them when they read, as over the records); the local times of bucketed
    /// date-times (<see cref="ReportProjectionShape.LocalTimes"/>) follow, China time, null where the text is no date-time.
    /// </summary>
    public static string Values(ReportProjectionShape shape, string row)
    {
        var values = new List<string>
        {
            $"{row}.id", $"{row}.created_at", $"{row}.updated_at", $"{row}.created_by", $"{row}.updated_by", $"{row}.owner_department",
            shape.UserFields.Count == 0
                ? "'{}'::jsonb"
                : $"jsonb_build_object({string.Join(", ", shape.UserFields.Select(u => $"{SqlIdentifiers.Literal(u)}, {row}.data->{SqlIdentifiers.Literal(u)}"))})",
        };
        foreach (var column in shape.Columns)
        {
            var key = SqlIdentifiers.Literal(column.Field);
            var json = $"{row}.data->{key}";
            var text = $"{row}.data->>{key}";
            values.Add(column.Kind switch
            {
                ReportValueKind.Number => $"case when jsonb_typeof({json}) = 'number' then ({json})::numeric else report_fact_numeric({text}) end",
                ReportValueKind.Boolean => $"case when jsonb_typeof({json}) = 'boolean' then ({json})::boolean else report_fact_boolean({text}) end",
                ReportValueKind.List => json,
                _ => text,
            });
        }

        foreach (var local in shape.LocalTimes)
        {
            values.Add(local.Path switch
            {
                "createdAt" => $"({row}.created_at at time zone 'Asia/Shanghai')",
                "updatedAt" => $"({row}.updated_at at time zone 'Asia/Shanghai')",
                _ => $"report_fact_local({row}.data->>{SqlIdentifiers.Literal(local.Path)})",
            });
        }

        return string.Join(", ", values);
    }

    private static string Type(ReportValueKind kind) => kind switch
    {
        ReportValueKind.Number => "numeric",
        ReportValueKind.Boolean => "boolean",
        ReportValueKind.List => "jsonb",
        _ => "text",
    };

}
