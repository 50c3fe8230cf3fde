namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The story of one demo record's flow: the actions taken on it up to the generator's "now", in time order.
/// <see cref="Ends"/> says whether the last action ends the flow (completed or rejected); otherwise the flow is still
/// waiting at the step the next, not yet taken, action would have been.
/// </summary>
public sealed record DemoFlowPlan(string Flow, IReadOnlyList<DemoFlowAction> Actions, bool Ends)
{
    /// <summary>The last action taken at <paramref name="step"/>, or null.</summary>
    public DemoFlowAction? Last(string step) => Actions.LastOrDefault(a => a.Step == step);

    /// <summary>When the flow ended, or null while it runs.</summary>
    public DateTimeOffset? EndedAt => Ends ? Actions[^1].At : null;
}
