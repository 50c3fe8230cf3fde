using Platform.Core.Rules;

namespace Platform.Core.Metadata;

/// <summary>
/// Checks per-record public forms (<see cref="PublicFormDefinition.SubjectField"/>): the subject is a reference field of
/// the form's entity, not one of the fields the customer fills; and every <c>$formLinks.&lt;form&gt;</c> a rule message reads
/// names such a form whose subject is the rule's entity (a link is signed for the record the rule fired on).
/// </summary>
public static class FormLinkValidator
{
    public static void Validate(AppDefinition app, Action<string, string> add)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(add);
        for (var i = 0; i < app.PublicForms.Count; i++)
        {
            var form = app.PublicForms[i];
            if (form.AnsweredBy is not (null or "any" or "form"))
            {
                add($"$.publicForms[{i}].answeredBy", $"answeredBy '{form.AnsweredBy}' 无效：可用 any（任何指向该记录的记录）、form（仅本表单提交的答复）");
            }
            else if (form.AnsweredBy == "form" && form.SubjectField is null)
            {
                add($"$.publicForms[{i}].answeredBy", "answeredBy 只用于按记录评价的表单（须有 subjectField）");
            }

            if (form.SubjectField is not { } key || app.FindEntity(form.Entity ?? string.Empty) is not { } entity)
            {
                continue;
            }

            var path = $"$.publicForms[{i}].subjectField";
            if (entity.FindField(key) is not { } field)
            {
                add(path, $"实体 '{entity.Key}' 中没有字段 '{key}'");
            }
            else if (field.Type != "reference" || field.Reference?.Entity is not { } target || app.FindEntity(target) is null)
            {
                add(path, $"评价对象字段 '{key}' 须为引用字段（reference），而不是 {field.Type}");
            }
            else if (form.Fields.Contains(key, StringComparer.Ordinal))
            {
                add(path, $"评价对象字段 '{key}' 由签名链接填写，不能同时出现在 fields 中");
            }
        }

        for (var r = 0; r < app.Rules.Count; r++)
        {
            var rule = app.Rules[r];
            for (var a = 0; a < rule.Actions.Count; a++)
            {
                var action = rule.Actions[a];
                foreach (var (name, text) in new[] { ("title", action.Title), ("text", action.Text), ("comment", action.Comment) })
                {
                    foreach (var formKey in RuleVariables.FormLinkKeys(text))
                    {
                        var form = app.PublicForms.FirstOrDefault(f => f.Key == formKey);
                        var subject = form?.SubjectField is { } field ? app.FindEntity(form.Entity ?? string.Empty)?.FindField(field)?.Reference?.Entity : null;
                        if (subject is null)
                        {
                            add($"$.rules[{r}].actions[{a}].{name}", $"{RuleVariables.FormLinks}.{formKey}：没有设置了 subjectField 的公开表单 '{formKey}'");
                        }
                        else if (subject != rule.Entity)
                        {
                            add($"$.rules[{r}].actions[{a}].{name}", $"{RuleVariables.FormLinks}.{formKey} 评价的是 '{subject}'，不能用于实体 '{rule.Entity}' 的规则");
                        }
                    }
                }
            }
        }
    }
}
