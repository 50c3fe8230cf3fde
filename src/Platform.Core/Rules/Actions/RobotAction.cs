using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary><c>robot</c>: a message to a WeCom, DingTalk or Feishu group robot (a connector or its webhook URL).</summary>
public sealed class RobotAction : RuleActionType
{
    private static readonly string[] Providers = ["wecom", "dingtalk", "feishu"];

    public override string Name => "robot";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        if (action.Provider is null || !Providers.Contains(action.Provider))
        {
            problem("provider", $"provider 应为 {string.Join(", ", Providers)}");
        }

        if (action.Connector is null && !(Uri.TryCreate(action.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            problem("url", "需要 connector 或完整的机器人 webhook 地址");
        }

        if (string.IsNullOrWhiteSpace(action.Text))
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

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context) => new()
    {
        Type = Name, Action = action, Summary = $"{action.Provider} 机器人消息 / robot message",
        Values = new()
        {
            ["provider"] = action.Provider, ["connector"] = action.Connector, ["url"] = action.Url,
            ["title"] = context.Render(action.Title), ["text"] = context.Render(action.Text),
        },
    };
}
