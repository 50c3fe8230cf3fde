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
    /// <summary>The statements that create the projection, its triggers and fill it from the records, in order.</summary>
    public static IReadOnlyList<string> Create(ReportProjectionShape shape)
    {
        var table = SqlIdentifiers.Name(shape.Table);
        var layout = Layout(shape, "new");
        var definitions = string.Join(", ", layout.Select(c => $"{c.Name} {c.Type}{(c.Name == "id" ? " primary key" : c.Name == "data" ? " not null" : string.Empty)}"));
        var columns = string.Join(", ", layout.Select(c => c.Name));
        var updates = string.Join(", ", layout.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"));
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
            $"create table {table} ({definitions})",
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
    /// The projection row of the records row <paramref name="row"/>, in the table's column order (<see cref="Layout"/>).
    /// Numbers and booleans are converted as the reports' casts of <c>data->>key</c> convert them (a JSON number or boolean
    /// directly; text through the cast), null where the cast fails; dates and datetimes stay text (reports cast them when they
    /// read, as over the records); the local times of bucketed date-times (<see cref="ReportProjectionShape.LocalTimes"/>) are
    /// China time, null where the text is no date-time, and each bucket (<see cref="ReportProjectionShape.Buckets"/>) is the
    /// first day of its local time's bucket.
    /// </summary>
    public static string Values(ReportProjectionShape shape, string row) => string.Join(", ", Layout(shape, row).Select(c => c.Value));

    /// <summary>
    /// The projection's columns (name, type, value of the records row <paramref name="row"/>), fixed-width ones first: a
    /// report reads a few columns of every row, and PostgreSQL finds a column after a variable-width one only by walking the
    /// columns before it, so the hot fixed-width ones (times, buckets, booleans) come before the texts and numerics, and the
    /// rarely read audit names and the row-scope <c>data</c> last.
    /// </summary>
    private static List<(string Name, string Type, string Value)> Layout(ReportProjectionShape shape, string row)
    {
        string LocalOf(string path) => path switch
        {
            "createdAt" => $"({row}.created_at at time zone 'Asia/Shanghai')",
            "updatedAt" => $"({row}.updated_at at time zone 'Asia/Shanghai')",
            _ => $"report_fact_local({row}.data->>{SqlIdentifiers.Literal(path)})",
        };

        var layout = new List<(string Name, string Type, string Value)>
        {
            ("id", "uuid", $"{row}.id"), ("created_at", "timestamptz", $"{row}.created_at"), ("updated_at", "timestamptz", $"{row}.updated_at"),
        };
        layout.AddRange(shape.LocalTimes.Select(l => (SqlIdentifiers.Name(l.Column), "timestamp", LocalOf(l.Path))));
        layout.AddRange(shape.Buckets.Select(b => (SqlIdentifiers.Name(b.Column), "date", b.Unit == "day" ? $"({LocalOf(b.Path)})::date" : $"date_trunc('{b.Unit}', {LocalOf(b.Path)})::date")));
        foreach (var kind in new[] { ReportValueKind.Boolean, ReportValueKind.Number })
        {
            layout.AddRange(shape.Columns.Where(c => c.Kind == kind).Select(c => (SqlIdentifiers.Name(c.Column), Type(c.Kind), FieldValue(c, row))));
        }

        layout.AddRange(shape.Columns.Where(c => c.Kind is not ReportValueKind.Boolean and not ReportValueKind.Number).Select(c => (SqlIdentifiers.Name(c.Column), Type(c.Kind), FieldValue(c, row))));
        layout.AddRange(
        [
            ("created_by", "text", $"{row}.created_by"), ("updated_by", "text", $"{row}.updated_by"), ("owner_department", "text", $"{row}.owner_department"),
            ("data", "jsonb", shape.UserFields.Count == 0
                ? "'{}'::jsonb"
                : $"jsonb_build_object({string.Join(", ", shape.UserFields.Select(u => $"{SqlIdentifiers.Literal(u)}, {row}.data->{SqlIdentifiers.Literal(u)}"))})"),
        ]);
        return layout;
    }

    private static string FieldValue(ReportProjectionColumn column, string row)
    {
        var key = SqlIdentifiers.Literal(column.Field);
        var json = $"{row}.data->{key}";
        var text = $"{row}.data->>{key}";
        return column.Kind switch
        {
            ReportValueKind.Number => $"case when jsonb_typeof({json}) = 'number' then ({json})::numeric else report_fact_numeric({text}) end",
            ReportValueKind.Boolean => $"case when jsonb_typeof({json}) = 'boolean' then ({json})::boolean else report_fact_boolean({text}) end",
            ReportValueKind.List => json,
            _ => text,
        };
    }

    private static string Type(ReportValueKind kind) => kind switch
    {
        ReportValueKind.Number => "numeric",
        ReportValueKind.Boolean => "boolean",
        ReportValueKind.List => "jsonb",
        _ => "text",
    };

}
