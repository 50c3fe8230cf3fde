namespace Platform.Core.Flows.Steps;

/// <summary>Step types by stable name. An unknown name in metadata is a validation error, never an exception at run time.</summary>
public sealed class FlowStepRegistry
{
    private readonly Dictionary<string, FlowStepType> types = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => types.Keys;

    public static FlowStepRegistry CreateDefault() => new FlowStepRegistry()
        .AddFlowStep<StartStepType>()
        .AddFlowStep<ApprovalStepType>()
        .AddFlowStep<HandlerTaskStepType>()
        .AddFlowStep<CcStepType>()
        .AddFlowStep<ExclusiveGatewayStepType>()
        .AddFlowStep<ParallelSplitStepType>()
        .AddFlowStep<JoinStepType>()
        .AddFlowStep<AutomationStepType>()
        .AddFlowStep<WaitStepType>()
        .AddFlowStep<EndStepType>();

    public FlowStepRegistry AddFlowStep<T>()
        where T : FlowStepType, new() => AddFlowStep(new T());

    public FlowStepRegistry AddFlowStep(FlowStepType type)
    {
        types[type.Name] = type;
        return this;
    }

    public bool TryGet(string? name, out FlowStepType type)
    {
        if (name is not null && types.TryGetValue(name, out var found))
        {
            type = found;
            return true;
        }

        type = null!;
        return false;
    }

    /// <summary>The type; throws for an unknown name (validated definitions never have one).</summary>
    public FlowStepType Get(string name) =>
        TryGet(name, out var type) ? type : throw new Runtime.FlowDefinitionException($"未知的步骤类型 '{name}'");
}
