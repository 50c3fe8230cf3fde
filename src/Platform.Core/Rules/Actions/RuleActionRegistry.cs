namespace Platform.Core.Rules.Actions;

/// <summary>Rule action types by stable name. An unknown name in metadata is a validation error, never an exception.</summary>
public sealed class RuleActionRegistry
{
    private readonly Dictionary<string, RuleActionType> types = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => types.Keys;

    public static RuleActionRegistry CreateDefault() => new RuleActionRegistry()
        .AddRuleAction<SetFieldsAction>()
        .AddRuleAction<CreateRecordAction>()
        .AddRuleAction<UpdateRecordsAction>()
        .AddRuleAction<FlowApproveAction>()
        .AddRuleAction<FlowRejectAction>()
        .AddRuleAction<AssignAction>()
        .AddRuleAction<AdjustAction>()
        .AddRuleAction<NotifyAction>()
        .AddRuleAction<EmailAction>()
        .AddRuleAction<SmsAction>()
        .AddRuleAction<RobotAction>()
        .AddRuleAction<WebhookAction>();

    public RuleActionRegistry AddRuleAction<T>()
        where T : RuleActionType, new() => AddRuleAction(new T());

    public RuleActionRegistry AddRuleAction(RuleActionType type)
    {
        types[type.Name] = type;
        return this;
    }

    public bool TryGet(string? name, out RuleActionType type)
    {
        if (name is not null && types.TryGetValue(name, out var found))
        {
            type = found;
            return true;
        }

        type = null!;
        return false;
    }
}
