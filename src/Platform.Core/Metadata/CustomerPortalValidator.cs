namespace Platform.Core.Metadata;

/// <summary>
/// Checks an app's <see cref="CustomerPortalDefinition"/>: every tracked entity exists once, has a number and a phone
/// field (its own or its public form's), a select type field, and only plain-valued visible fields; the code text
/// carries the code. Rules that put <c>$trackingLink</c> in a message must be on a tracked entity.
/// </summary>
public static class CustomerPortalValidator
{
    /// <summary>Field types a customer may see: plain values, no references to other records, users or files.</summary>
    public static readonly IReadOnlySet<string> VisibleTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "text", "textarea", "select", "multi-select", "number", "integer", "money", "formula", "date", "datetime", "boolean", "auto-number", "lookup",
    };

    /// <summary>Longest code message (one SMS, with room for the provider's signature).</summary>
    public const int MaxCodeTextLength = 120;

    public static void Validate(AppDefinition app, Action<string, string> add)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(add);
        if (app.CustomerPortal is not { } portal)
        {
            CheckLinkUse(app, add, tracked: new HashSet<string>());
            return;
        }

        const string Path = "$.customerPortal";
        if (portal.CodeText is { } text && (!text.Contains(CustomerPortalDefinition.CodePlaceholder, StringComparison.Ordinal) || text.Length > MaxCodeTextLength))
        {
            add($"{Path}.codeText", $"验证码短信须包含 {CustomerPortalDefinition.CodePlaceholder}，最长 {MaxCodeTextLength} 个字符 / the code text must contain {CustomerPortalDefinition.CodePlaceholder} and be at most {MaxCodeTextLength} characters");
        }

        if (portal.Enabled && portal.Entities.Count == 0)
        {
            add($"{Path}.entities", "客户自助须至少指定一个可查询的实体 / an enabled customer portal must track at least one entity");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < portal.Entities.Count; i++)
        {
            var tracked = portal.Entities[i];
            var path = $"{Path}.entities[{i}]";
            if (app.FindEntity(tracked.Entity ?? string.Empty) is not { } entity)
            {
                add($"{path}.entity", $"客户自助引用了不存在的实体 '{tracked.Entity}' / no entity '{tracked.Entity}'");
                continue;
            }

            if (!seen.Add(entity.Key))
            {
                add($"{path}.entity", $"实体 '{entity.Key}' 重复 / entity '{entity.Key}' listed twice");
            }

            var form = app.PublicForms.FirstOrDefault(f => f.Entity == entity.Key && f.TrackingField is not null && f.PhoneField is not null);
            CheckField(entity, tracked.NumberField ?? form?.TrackingField, $"{path}.numberField", ["auto-number", "text"], ("单号字段", "number field"), add);
            CheckField(entity, tracked.PhoneField ?? form?.PhoneField, $"{path}.phoneField", ["phone", "text"], ("手机号字段", "phone field"), add);
            if (tracked.TypeField is { } type)
            {
                CheckField(entity, type, $"{path}.typeField", ["select"], ("类型字段", "type field"), add);
            }

            if (tracked.SummaryField is { } summary)
            {
                CheckField(entity, summary, $"{path}.summaryField", [.. VisibleTypes, "reference"], ("摘要字段", "summary field"), add);
            }

            var fields = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < tracked.Fields.Count; j++)
            {
                var key = tracked.Fields[j];
                var field = entity.FindField(key);
                if (field is null)
                {
                    add($"{path}.fields[{j}]", $"实体 '{entity.Key}' 中没有字段 '{key}' / entity '{entity.Key}' has no field '{key}'");
                }
                else if (!VisibleTypes.Contains(field.Type))
                {
                    add($"{path}.fields[{j}]", $"字段 '{key}'（{field.Type}）不能展示给客户：只允许 {string.Join(", ", VisibleTypes)} / field '{key}' ({field.Type}) cannot be shown to customers; allowed: {string.Join(", ", VisibleTypes)}");
                }
                else if (!fields.Add(key))
                {
                    add($"{path}.fields[{j}]", $"字段 '{key}' 重复 / field '{key}' listed twice");
                }
            }
        }

        CheckLinkUse(app, add, portal.Enabled ? seen : new HashSet<string>());
    }

    private static void CheckField(EntityDefinition entity, string? key, string path, string[] types, (string Zh, string En) what, Action<string, string> add)
    {
        if (key is null)
        {
            add(path, $"须指定{what.Zh}（或为实体 '{entity.Key}' 设置带 trackingField 和 phoneField 的公开表单） / name a {what.En} (or give entity '{entity.Key}' a public form with trackingField and phoneField)");
        }
        else if (entity.FindField(key) is not { } field)
        {
            add(path, $"实体 '{entity.Key}' 中没有字段 '{key}' / entity '{entity.Key}' has no field '{key}'");
        }
        else if (!types.Contains(field.Type))
        {
            add(path, $"{what.Zh} '{key}' 的类型须为 {string.Join(" 或 ", types)}，而不是 {field.Type} / the {what.En} '{key}' must be of type {string.Join(" or ", types)}, not {field.Type}");
        }
    }

    private static void CheckLinkUse(AppDefinition app, Action<string, string> add, IReadOnlySet<string> tracked)
    {
        for (var r = 0; r < app.Rules.Count; r++)
        {
            var rule = app.Rules[r];
            for (var a = 0; a < rule.Actions.Count; a++)
            {
                var action = rule.Actions[a];
                foreach (var (key, text) in new[] { ("title", action.Title), ("text", action.Text) })
                {
                    if (text is not null && text.Contains(Rules.RuleVariables.TrackingLink, StringComparison.Ordinal) && (rule.Entity is null || !tracked.Contains(rule.Entity)))
                    {
                        add($"$.rules[{r}].actions[{a}].{key}", $"{Rules.RuleVariables.TrackingLink} 只能用于客户自助（customerPortal）中的实体，'{rule.Entity}' 不在其中 / {Rules.RuleVariables.TrackingLink} works only on entities the customer portal tracks, and '{rule.Entity}' is not one");
                    }
                }
            }
        }
    }
}
