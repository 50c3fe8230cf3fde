using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms.Types;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>One validation of one submission; see <see cref="RecordValidator"/> for the steps.</summary>
internal sealed class RecordValidationRun(EntityDefinition entity, EntityPlan plan, IExpressionEngine expressions, RecordValidationContext context)
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject?> found = new(StringComparer.Ordinal);
    private readonly HashSet<string> hidden = new(StringComparer.Ordinal);
    private JsonObject data = null!;
    private ExpressionScope scope = null!;

    private bool IsCreate => context.Existing is null;

    public RecordValidationResult Run(JsonObject submitted)
    {
        data = context.Existing?.DeepClone().AsObject() ?? new JsonObject();
        scope = new ExpressionScope(new RecordVariables(data, plan.FieldKeys, null), context.Now, context.UserName);

        AcceptInput(submitted);
        if (IsCreate)
        {
            ApplyDefaults(entity.Fields, data, scope);
        }

        ApplyLookups(submitted);
        ApplyVisibility();
        ComputeFormulas();
        CheckRequiredAndBounds();
        CheckRules();
        var autoNumbers = IsCreate ? AssignAutoNumbers() : [];

        return new RecordValidationResult(
            data,
            errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal),
            autoNumbers);
    }

    private void AcceptInput(JsonObject submitted)
    {
        foreach (var (key, value) in submitted)
        {
            var field = entity.FindField(key);
            if (field is null)
            {
                Error(key, "表单中没有这个字段");
                continue;
            }

            if (!(plan.Accepts(field) || (field.System && context.GrantedFields?.Contains(key) == true && plan.AcceptsGranted(field)))
                || (context.AllowedFields is { } allowed && !allowed.Contains(key)))
            {
                continue;
            }

            if (!plan.Types.TryGet(field.Type, out var type))
            {
                Error(key, $"未知字段类型 '{field.Type}'");
                continue;
            }

            if (value is null)
            {
                data.Remove(key);
                continue;
            }

            if (field.Type == "sub-table")
            {
                var rows = AcceptRows(field, value);
                if (rows is not null)
                {
                    data[key] = rows;
                }

                continue;
            }

            var normalized = type.Normalize(field, value);
            if (!normalized.IsValid)
            {
                Error(key, normalized.Error!);
            }
            else if (!ReferenceExists(field, normalized.Value))
            {
                Error(key, "关联的记录不存在");
            }
            else
            {
                Set(data, key, normalized.Value);
            }
        }
    }

    private bool ReferenceExists(FieldDefinition field, JsonNode? value) =>
        field.Reference is null || value is null || context.Lookups is null
        || context.Lookups.Find(field.Reference.Entity, "id", FieldValues.AsText(value)!) is not null;

    private JsonArray? AcceptRows(FieldDefinition table, JsonNode value)
    {
        if (value is not JsonArray items)
        {
            Error(table.Key, "须为行的数组");
            return null;
        }

        var rowFields = table.Fields ?? [];
        var rows = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{table.Key}[{i}]";
            if (items[i] is not JsonObject item)
            {
                Error(path, "每一行须为对象");
                continue;
            }

            var row = new JsonObject();
            foreach (var (key, cell) in item)
            {
                var field = rowFields.FirstOrDefault(f => f.Key == key);
                if (field is null)
                {
                    Error($"{path}.{key}", "子表中没有这个字段");
                    continue;
                }

                if (cell is null || field.System || field.ReadOnly || !plan.Types.TryGet(field.Type, out var type) || !type.AcceptsInput)
                {
                    continue;
                }

                var normalized = type.Normalize(field, cell);
                if (!normalized.IsValid)
                {
                    Error($"{path}.{key}", normalized.Error!);
                }
                else if (!ReferenceExists(field, normalized.Value))
                {
                    Error($"{path}.{key}", "关联的记录不存在");
                }
                else
                {
                    Set(row, key, normalized.Value);
                }
            }

            ApplyDefaults(rowFields, row, RowScope(table, row));
            rows.Add(row);
        }

        return rows;
    }

    private void ApplyDefaults(IReadOnlyList<FieldDefinition> fields, JsonObject target, ExpressionScope targetScope)
    {
        foreach (var field in fields)
        {
            if (target.ContainsKey(field.Key) || field.Type == "sub-table" || !plan.Types.TryGet(field.Type, out var type))
            {
                continue;
            }

            JsonNode? value = field.Default?.DeepClone();
            if (value is null && field.DefaultExpression is { } expression)
            {
                value = Evaluate(field.Key, expression, targetScope, "默认值");
            }

            if (value is not null)
            {
                var normalized = type.Normalize(field, value);
                if (normalized.IsValid)
                {
                    Set(target, field.Key, normalized.Value);
                }
            }
        }
    }

    private void ApplyLookups(JsonObject submitted)
    {
        foreach (var field in plan.Lookups)
        {
            var lookup = field.Lookup!;
            var changed = IsCreate || submitted.ContainsKey(field.Key) || (lookup.Source is not null && submitted.ContainsKey(lookup.Source));
            if (errors.ContainsKey(field.Key))
            {
                continue;
            }

            var value = FieldValues.AsText(data[field.Key]);
            if (lookup.Entity is { } target)
            {
                JsonObject? record = null;
                if (value is not null && context.Lookups is not null)
                {
                    record = context.Lookups.Find(target, lookup.MatchField, value);
                }

                found[field.Key] = record;
                if (!changed || context.Lookups is null)
                {
                    continue;
                }

                if (value is not null && record is null)
                {
                    Error(field.Key, $"未找到“{value}”，请核对后重新输入");
                    continue;
                }

                Fill(lookup, record);
                continue;
            }

            if (!changed || context.Lookups is null || errors.ContainsKey(lookup.Source!))
            {
                continue;
            }

            var source = found.GetValueOrDefault(lookup.Source!);
            var rows = source?[lookup.Rows!] as JsonArray;
            if (source is null)
            {
                if (value is not null)
                {
                    Error(field.Key, $"请先填写{Label(lookup.Source!)}");
                }

                Fill(lookup, null);
                continue;
            }

            if (value is null && lookup.AutoSelectSingle && rows is { Count: 1 } && FieldValues.AsText(rows[0]?[lookup.MatchField]) is { } single)
            {
                value = single;
                data[field.Key] = single;
            }

            if (value is null)
            {
                Fill(lookup, null);
                continue;
            }

            var row = rows?.OfType<JsonObject>().FirstOrDefault(r => FieldValues.AsText(r[lookup.MatchField]) == value);
            if (row is null)
            {
                Error(field.Key, $"所选{Label(lookup.Source!)}中没有这一项");
                continue;
            }

            Fill(lookup, row);
        }
    }

    private void Fill(LookupSettings lookup, JsonObject? source)
    {
        foreach (var (target, from) in lookup.Fill)
        {
            Set(data, target, source?[from]?.DeepClone());
        }
    }

    private void ApplyVisibility()
    {
        foreach (var field in entity.Fields)
        {
            var visible = (field.VisibleWhen is null || EvaluateBool(field.Key, field.VisibleWhen, scope, "显示条件"))
                && (!plan.SectionVisibility.TryGetValue(field.Key, out var section) || EvaluateBool(field.Key, section, scope, "分区显示条件"));
            if (!visible)
            {
                hidden.Add(field.Key);
            }
        }

        foreach (var key in hidden)
        {
            data.Remove(key);
            foreach (var path in errors.Keys.Where(p => p == key || p.StartsWith(key + "[", StringComparison.Ordinal)).ToList())
            {
                errors.Remove(path);
            }
        }

        foreach (var table in entity.Fields.Where(f => f.Type == "sub-table" && f.Fields is not null && !hidden.Contains(f.Key)))
        {
            if (data[table.Key] is not JsonArray rows)
            {
                continue;
            }

            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i] is not JsonObject row)
                {
                    continue;
                }

                var rowScope = RowScope(table, row);
                foreach (var field in table.Fields!.Where(f => f.VisibleWhen is not null))
                {
                    if (!EvaluateBool($"{table.Key}[{i}].{field.Key}", field.VisibleWhen!, rowScope, "显示条件"))
                    {
                        row.Remove(field.Key);
                        errors.Remove($"{table.Key}[{i}].{field.Key}");
                    }
                }
            }
        }
    }

    private void ComputeFormulas()
    {
        foreach (var table in entity.Fields.Where(f => f.Type == "sub-table" && !hidden.Contains(f.Key)))
        {
            if (data[table.Key] is not JsonArray rows || !plan.RowFormulas.TryGetValue(table.Key, out var formulas) || formulas.Count == 0)
            {
                continue;
            }

            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i] is JsonObject row)
                {
                    var rowScope = RowScope(table, row);
                    foreach (var formula in formulas)
                    {
                        Compute(formula, row, rowScope, $"{table.Key}[{i}].{formula.Key}");
                    }
                }
            }
        }

        foreach (var formula in plan.Formulas.Where(f => !hidden.Contains(f.Key)))
        {
            Compute(formula, data, scope, formula.Key);
        }
    }

    private void Compute(FieldDefinition formula, JsonObject target, ExpressionScope targetScope, string path)
    {
        var value = Evaluate(path, formula.Formula!, targetScope, "公式");
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && FieldValues.AsDecimal(v) is { } number)
        {
            value = NumericFieldType.ToJson(Math.Round(number, formula.Scale ?? 6, MidpointRounding.AwayFromZero));
        }

        Set(target, formula.Key, value);
    }

    private void CheckRequiredAndBounds()
    {
        foreach (var field in entity.Fields)
        {
            if (hidden.Contains(field.Key) || errors.ContainsKey(field.Key))
            {
                continue;
            }

            CheckField(field, data, scope, field.Key);
            if (field.Type == "sub-table" && field.Fields is not null)
            {
                var count = (data[field.Key] as JsonArray)?.Count ?? 0;
                if (field.MinRows is { } min && count < min)
                {
                    Error(field.Key, $"至少需要 {min} 行");
                }
                else if (field.MaxRows is { } max && count > max)
                {
                    Error(field.Key, $"最多 {max} 行");
                }

                if (data[field.Key] is JsonArray rows)
                {
                    for (var i = 0; i < rows.Count; i++)
                    {
                        if (rows[i] is JsonObject row)
                        {
                            var rowScope = RowScope(field, row);
                            foreach (var rowField in field.Fields.Where(f => row.ContainsKey(f.Key) || f.Required || f.RequiredWhen is not null))
                            {
                                var path = $"{field.Key}[{i}].{rowField.Key}";
                                if (!errors.ContainsKey(path))
                                {
                                    CheckField(rowField, row, rowScope, path);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private void CheckField(FieldDefinition field, JsonObject target, ExpressionScope targetScope, string path)
    {
        if (field.System || !plan.Types.TryGet(field.Type, out var type))
        {
            return;
        }

        var value = target[field.Key];
        var required = type.AcceptsInput && !field.ReadOnly
            && (field.Required || (field.RequiredWhen is not null && EvaluateBool(path, field.RequiredWhen, targetScope, "必填条件")));
        if (type.IsEmpty(value))
        {
            if (required && !errors.ContainsKey(path))
            {
                var label = field.Label ?? field.Key;
                Error(path, field.Type switch
                {
                    "sub-table" => $"请至少填写一行{label}",
                    "image" or "video" or "file" => $"请上传{label}",
                    "select" or "multi-select" or "reference" or "user" or "boolean" => $"请选择{label}",
                    _ => $"请填写{label}",
                });
            }

            return;
        }

        if (FieldValues.AsDecimal(value) is not { } number || value!.GetValueKind() != JsonValueKind.Number)
        {
            return;
        }

        if (field.MinExpression is not null && FieldValues.AsDecimal(Evaluate(path, field.MinExpression, targetScope, "下限")) is { } min && number < min)
        {
            Error(path, $"不能小于 {NumericFieldType.Format(min)}");
        }
        else if (field.MaxExpression is not null && FieldValues.AsDecimal(Evaluate(path, field.MaxExpression, targetScope, "上限")) is { } max && number > max)
        {
            Error(path, $"不能大于 {NumericFieldType.Format(max)}");
        }
    }

    private void CheckRules()
    {
        foreach (var rule in entity.Validations)
        {
            if (errors.ContainsKey(rule.Field) || hidden.Contains(rule.Field))
            {
                continue;
            }

            if (rule.When is not null && !EvaluateBool(rule.Field, rule.When, scope, "规则条件"))
            {
                continue;
            }

            var before = errors.Count;
            if (!EvaluateBool(rule.Field, rule.Expression, scope, "校验规则") && errors.Count == before)
            {
                Error(rule.Field, rule.Message);
            }
        }
    }

    private List<AutoNumberRequest> AssignAutoNumbers()
    {
        var requests = new List<AutoNumberRequest>();
        if (errors.Count > 0)
        {
            return requests;
        }

        foreach (var (field, pattern) in plan.AutoNumbers)
        {
            requests.Add(new AutoNumberRequest(field, pattern.PrefixAt(context.Now), pattern.Width, pattern.SuffixAt(context.Now)));
        }

        return requests;
    }

    private ExpressionScope RowScope(FieldDefinition table, JsonObject row) =>
        new(new RecordVariables(row, plan.RowKeys.GetValueOrDefault(table.Key) ?? [], data), context.Now, context.UserName);

    private JsonNode? Evaluate(string path, string expression, ExpressionScope at, string what)
    {
        try
        {
            return expressions.Evaluate(expression, at);
        }
        catch (ExpressionFault fault)
        {
            Error(path, $"{what}计算失败：{fault.Reason}");
            return null;
        }
    }

    private bool EvaluateBool(string path, string expression, ExpressionScope at, string what)
    {
        try
        {
            return expressions.EvaluateBool(expression, at);
        }
        catch (ExpressionFault fault)
        {
            Error(path, $"{what}计算失败：{fault.Reason}");
            return false;
        }
    }

    private string Label(string key) => entity.FindField(key)?.Label ?? key;

    private void Error(string path, string message)
    {
        if (!errors.TryGetValue(path, out var list))
        {
            errors[path] = list = [];
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    private static void Set(JsonObject target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.Parent is null ? value : value.DeepClone();
        }
    }
}
