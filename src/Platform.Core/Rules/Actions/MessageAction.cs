using System.Text.Json.Nodes;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>The shared part of notify, email and sms: recipients and rendered texts.</summary>
public abstract class MessageAction : RuleActionType
{
    /// <summary>Whether recipients may be addresses computed by an expression (email, sms) rather than only users.</summary>
    protected virtual bool TakesAddresses => true;

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var to = action.To;
        if (to is null || (to.Users is not { Count: > 0 } && to.Roles is not { Count: > 0 } && to.UserField is null && to.Address is null))
        {
            problem("to", "需要指定接收人：users、roles、userField 或 address");
        }

        if (to?.UserField is { } userField && context.Entity?.FindField(userField)?.Type != "user")
        {
            problem("to.userField", $"'{userField}' 不是人员字段");
        }

        if (to?.Address is { } address)
        {
            if (!TakesAddresses)
            {
                problem("to.address", $"{Name} 只能发给平台用户");
            }
            else if (to.Via is { } via)
            {
                var reference = context.Entity?.FindField(via);
                var target = reference?.Reference?.Entity is { } key ? context.App.FindEntity(key) : null;
                if (reference?.Type != "reference" || target is null)
                {
                    problem("to.via", $"'{via}' 不是引用字段");
                }
                else if (context.CheckExpression(address, target) is { } p)
                {
                    problem("to.address", p);
                }
            }
            else if (context.CheckExpression(address) is { } p)
            {
                problem("to.address", p);
            }
        }

        if (string.IsNullOrWhiteSpace(action.Text) && string.IsNullOrWhiteSpace(action.Title))
        {
            problem("text", "消息内容不能为空");
        }

        foreach (var (key, text) in new[] { ("title", action.Title), ("text", action.Text) })
        {
            if (context.CheckText(text) is { } p)
            {
                problem(key, p);
            }
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var to = action.To ?? new RuleRecipients();
        var users = new JsonArray();
        foreach (var user in to.Users ?? [])
        {
            users.Add(user);
        }

        if (to.UserField is { } field && context.Record[field]?.ToString() is { Length: > 0 } fromField)
        {
            users.Add(fromField);
        }

        var roles = new JsonArray();
        foreach (var role in to.Roles ?? [])
        {
            roles.Add(role);
        }

        var values = new JsonObject
        {
            ["users"] = users,
            ["roles"] = roles,
            ["title"] = context.Render(action.Title),
            ["text"] = context.Render(action.Text),
        };
        if (to.Address is { } address)
        {
            // Over a referenced record the runtime evaluates it once that record is loaded.
            if (to.Via is null)
            {
                values["addresses"] = context.Evaluate(address) switch
                {
                    null => new JsonArray(),
                    JsonArray a => a.DeepClone(),
                    var v => new JsonArray(v.DeepClone()),
                };
            }
            else
            {
                values["via"] = to.Via;
                values["viaId"] = context.Record[to.Via]?.ToString();
                values["address"] = address;
            }
        }

        return new RuleActionPlan { Type = Name, Action = action, Values = values, Summary = $"{Name} → {values.ToJsonString()}" };
    }
}
