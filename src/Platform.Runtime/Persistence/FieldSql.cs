using Platform.Core.Metadata;

namespace Platform.Runtime.Persistence;

/// <summary>The SQL expression for a field's value; index expressions use exactly the same text so the planner matches them.</summary>
public static class FieldSql
{
    public static SqlValueKind KindOf(FieldDefinition field) => field.Type switch
    {
        "number" or "integer" or "money" or "aggregate" => SqlValueKind.Number,
        "formula" when field.Scale is not null => SqlValueKind.Number,
        "boolean" => SqlValueKind.Boolean,
        "multi-select" or "image" or "video" or "file" or "sub-table" => SqlValueKind.Json,
        _ => SqlValueKind.Text,
    };

    /// <summary>SQL over the <c>data</c> column, e.g. <c>((data->>'quantity')::numeric)</c>.</summary>
    public static string Expression(FieldDefinition field) => KindOf(field) switch
    {
        SqlValueKind.Number => $"((data->>{SqlIdentifiers.Literal(field.Key)})::numeric)",
        SqlValueKind.Boolean => $"((data->>{SqlIdentifiers.Literal(field.Key)})::boolean)",
        SqlValueKind.Json => $"(data->{SqlIdentifiers.Literal(field.Key)})",
        _ => $"(data->>{SqlIdentifiers.Literal(field.Key)})",
    };
}
