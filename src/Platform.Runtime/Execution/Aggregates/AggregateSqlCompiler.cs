using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Aggregates;

/// <summary>
/// Compiles the aggregate fields of a validated app into the statements the <c>records_aggregate_*</c> triggers run. Keys
/// go in as checked literals (so the partial expression indexes of the reference field match); condition values only as
/// the <c>$2</c> JSON parameter.
/// </summary>
public static class AggregateSqlCompiler
{
    /// <summary>Every aggregate field of the app, compiled.</summary>
    public static IReadOnlyList<CompiledAggregate> Compile(AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var list = new List<CompiledAggregate>();
        foreach (var entity in app.Entities)
        {
            foreach (var field in entity.Fields.Where(f => f.Type == "aggregate" && f.Aggregate is not null))
            {
                if (app.FindEntity(field.Aggregate!.Entity) is { } source && Compile(app, entity, field, source) is { } compiled)
                {
                    list.Add(compiled);
                }
            }
        }

        return list;
    }

    private static CompiledAggregate? Compile(AppDefinition app, EntityDefinition entity, FieldDefinition field, EntityDefinition source)
    {
        var aggregate = field.Aggregate!;
        if (source.FindField(aggregate.Reference) is not { Type: "reference" } reference)
        {
            return null;
        }

        var parameters = new JsonArray();
        var where = new List<string>
        {
            $"app_key = {SqlIdentifiers.Literal(app.Key)}",
            $"entity_key = {SqlIdentifiers.Literal(source.Key)}",
            $"{FieldSql.Expression(reference)} = $1::text",
        };
        var watched = new List<string> { reference.Key };
        foreach (var condition in aggregate.Where)
        {
            if (source.FindField(condition.Field) is not { } conditionField)
            {
                return null;
            }

            watched.Add(conditionField.Key);
            where.Add(Condition(conditionField, condition, parameters));
        }

        string value;
        if (aggregate.Function == "sum")
        {
            if (aggregate.Field is null || source.FindField(aggregate.Field) is not { } summed)
            {
                return null;
            }

            watched.Add(summed.Key);
            value = $"coalesce(sum(report_fact_numeric(data->>{SqlIdentifiers.Literal(summed.Key)})), 0)";
        }
        else
        {
            value = "count(*)";
        }

        var sql = $"select {value} from records where {string.Join(" and ", where)}";
        var parametersJson = parameters.ToJsonString();
        var distinctWatched = watched.Distinct(StringComparer.Ordinal).ToList();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", source.Key, reference.Key, string.Join(",", distinctWatched), sql, parametersJson))))[..32];
        return new CompiledAggregate(entity.Key, field.Key, source.Key, reference.Key, distinctWatched, sql, parametersJson, hash);
    }

    private static string Condition(FieldDefinition field, AggregateCondition condition, JsonArray parameters)
    {
        var text = $"(data->>{SqlIdentifiers.Literal(field.Key)})";
        var number = $"report_fact_numeric(data->>{SqlIdentifiers.Literal(field.Key)})";
        var numeric = FieldSql.KindOf(field) == SqlValueKind.Number;
        string Parameter(JsonNode? value)
        {
            parameters.Add(value?.DeepClone());
            return $"($2->>{parameters.Count - 1})";
        }

        string List(JsonNode? value)
        {
            parameters.Add(value?.DeepClone());
            return $"array(select jsonb_array_elements_text($2->{parameters.Count - 1}))";
        }

        return condition.Op switch
        {
            "eq" => numeric ? $"{number} = {Parameter(condition.Value)}::numeric" : $"{text} = {Parameter(condition.Value)}",
            "ne" => numeric ? $"{number} is distinct from {Parameter(condition.Value)}::numeric" : $"{text} is distinct from {Parameter(condition.Value)}",
            "gt" => Compare(">"),
            "ge" => Compare(">="),
            "lt" => Compare("<"),
            "le" => Compare("<="),
            "in" => $"{text} = any({List(condition.Value)})",
            "notIn" => $"({text} is null or not ({text} = any({List(condition.Value)})))",
            "empty" => $"coalesce({text}, '') = ''",
            "notEmpty" => $"coalesce({text}, '') <> ''",
            _ => throw new InvalidOperationException($"Unknown aggregate condition op '{condition.Op}'."),
        };

        string Compare(string op) => numeric ? $"{number} {op} {Parameter(condition.Value)}::numeric" : $"{text} {op} {Parameter(condition.Value)}";
    }
}
