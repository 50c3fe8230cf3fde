using System.Text.Json.Nodes;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary><c>webhook</c>: an HTTP call through the outbox (signed with the connector's secret, retried, guarded).</summary>
public sealed class WebhookAction : RuleActionType
{
    private static readonly string[] Methods = ["POST", "PUT", "PATCH", "GET", "DELETE"];

    public override string Name => "webhook";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        if (action.Connector is null && !(Uri.TryCreate(action.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            problem("url", "需要 connector 或完整的 URL");
        }

        if (action.Method is { } method && !Methods.Contains(method))
        {
            problem("method", $"method 应为 {string.Join(", ", Methods)}");
        }

        if (action.Body is not null && context.CheckExpression(action.Body) is { } p)
        {
            problem("body", p);
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var body = action.Body is null
            ? new JsonObject { ["event"] = context.Event.Type, ["entity"] = context.Event.Entity, ["id"] = context.Event.RecordId?.ToString(), ["data"] = context.Record.DeepClone() }
            : context.Evaluate(action.Body)?.DeepClone();
        return new RuleActionPlan
        {
            Type = Name, Action = action, Summary = $"{action.Method ?? "POST"} {action.Connector ?? action.Url}",
            Values = new() { ["connector"] = action.Connector, ["url"] = action.Url, ["method"] = action.Method ?? "POST", ["body"] = body },
        };
    }
}
