using Platform.Core.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// The DDL of a report projection: its table, the trigger function that keeps it in the writing transaction (static SQL,
/// so its plan is cached per session), the two triggers on records and the backfill. Names come from the shape (metadata
/// keys and a hash); no value is put into the text.
/// </summary>
public static class ReportProjectionSql
{
    private const string SystemColumns = "id, created_at, updated_at, created_by, updated_by, owner_department, data";

    /// <summary>The statements that create the projection, its triggers and fill it from the records, in order.</summary>
    public static IReadOnlyList<string> Create(ReportProjectionShape shape)
    {
        var table = SqlIdentifiers.Name(shape.Table);
        var names = shape.Columns.Select(c => SqlIdentifiers.Name(c.Column)).ToList();
        var definitions = string.Concat(shape.Columns.Select((c, i) => $", {names[i]} {Type(c.Kind)}"));
        var columns = SystemColumns + string.Concat(names.Select(n => ", " + n));
        var updates = string.Join(", ", columns.Split(", ").Skip(1).Select(c => $"{c} = excluded.{c}"));
        var app = SqlIdentifiers.Literal(shape.App);
        var entity = SqlIdentifiers.Literal(shape.Entity);
        return
        [
            $"create table {table} (id uuid primary key, created_at timestamptz, updated_at timestamptz, created_by text, updated_by text, owner_department text, data jsonb not null{definitions})",
            $"""
            create function {Function(shape)}() returns trigger language plpgsql as $body$
            begin
              if tg_op = 'DELETE' then
                delete from {table} where id = old.id;
              else
                insert into {table} ({columns}) values ({Values(shape, "new")})
                on conflict (id) do update set {updates};
              end if;
              return null;
            end
            $body$
            """,
            $"create trigger {Trigger(shape, "w")} after insert or update on records for each row when (new.app_key = {app} and new.entity_key = {entity}) execute function {Function(shape)}()",
            $"create trigger {Trigger(shape, "d")} after delete on records for each row when (old.app_key = {app} and old.entity_key = {entity}) execute function {Function(shape)}()",
            $"insert into {table} ({columns}) select {Values(shape, "r")} from records r where r.app_key = {app} and r.entity_key = {entity}",
        ];
    }

    /// <summary>The statements that remove a projection table and its triggers (by the table's name, which holds the shape's hash).</summary>
    public static IReadOnlyList<string> Drop(string tableName)
    {
        var table = SqlIdentifiers.Name(tableName);
        return
        [
            $"drop trigger if exists {SqlIdentifiers.Name(tableName + "_w")} on records",
            $"drop trigger if exists {SqlIdentifiers.Name(tableName + "_d")} on records",
            $"drop function if exists {SqlIdentifiers.Name(tableName + "_sync")}()",
            $"drop table if exists {table}",
        ];
    }

    /// <summary>
    /// The projection row of the records row <paramref name="row"/>. Numbers and booleans are converted as the reports' casts
    /// of <c>data->>key</c> convert them (a JSON number or boolean directly; text through the cast), null where the cast fails;
    /// dates and datetimes stay text (reports cast them when they read, as over the records).
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

        return string.Join(", ", values);
    }

    private static string Type(ReportValueKind kind) => kind switch
    {
        ReportValueKind.Number => "numeric",
        ReportValueKind.Boolean => "boolean",
        ReportValueKind.List => "jsonb",
        _ => "text",
    };

    private static string Function(ReportProjectionShape shape) => SqlIdentifiers.Name(shape.Table + "_sync");

    private static string Trigger(ReportProjectionShape shape, string kind) => SqlIdentifiers.Name(shape.Table + "_" + kind);
}
