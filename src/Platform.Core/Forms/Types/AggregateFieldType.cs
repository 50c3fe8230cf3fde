using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary>
/// <c>aggregate</c>: the count or sum of the records of another entity that reference this one (see
/// <see cref="AggregateSettings"/>). Computed from the data by the runtime; never taken from the client or a rule.
/// The cross-entity checks (the entity, its reference back, the summed and filtered fields) are the DefinitionValidator's.
/// </summary>
public sealed class AggregateFieldType : FieldType
{
    public override string Name => "aggregate";

    public override bool AcceptsInput => false;

    public override FieldStorage Storage => FieldStorage.Number;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value) => FieldNormalization.Ok(value.DeepClone());

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Aggregate is not { } aggregate)
        {
            yield return ("aggregate", "汇总字段须设置 aggregate（entity、reference、function）");
            yield break;
        }

        if (aggregate.Function is not ("count" or "sum"))
        {
            yield return ("aggregate.function", $"汇总方式 '{aggregate.Function}' 无效：可用 count、sum");
        }
        else if (aggregate.Function == "sum" && string.IsNullOrWhiteSpace(aggregate.Field))
        {
            yield return ("aggregate.field", "sum 须指定被求和的字段 field");
        }
        else if (aggregate.Function == "count" && aggregate.Field is not null)
        {
            yield return ("aggregate.field", "count 不需要 field（计数的是记录）");
        }

        for (var i = 0; i < aggregate.Where.Count; i++)
        {
            var condition = aggregate.Where[i];
            var path = $"aggregate.where[{i}]";
            if (!AggregateCondition.Ops.Contains(condition.Op))
            {
                yield return ($"{path}.op", $"运算符 '{condition.Op}' 无效：可用 {string.Join(" ", AggregateCondition.Ops)}");
            }
            else if (condition.Op is "in" or "notIn")
            {
                if (condition.Value is not JsonArray { Count: > 0 } items || items.Any(v => v is not JsonValue))
                {
                    yield return ($"{path}.value", $"{condition.Op} 的 value 须为非空的常量数组");
                }
            }
            else if (condition.Op is "empty" or "notEmpty")
            {
                if (condition.Value is not null)
                {
                    yield return ($"{path}.value", $"{condition.Op} 不需要 value");
                }
            }
            else if (condition.Value is not JsonValue)
            {
                yield return ($"{path}.value", $"{condition.Op} 的 value 须为一个常量（文本、数字或布尔值）");
            }
        }
    }
}
