using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// Writes one record's flow story action by action; the first action that would happen after "now" is not taken
/// and stops the story there, so the flow stays open at that step and nothing is ever in the future.
/// </summary>
internal sealed class DemoFlowScript(string flow, DateTimeOffset now)
{
    private readonly List<DemoFlowAction> actions = [];
    private bool ends;

    /// <summary>True once an action fell after now: the flow waits at that step.</summary>
    public bool Open { get; private set; }

    /// <summary>Takes an approve (or <paramref name="action"/>) at <paramref name="at"/>; false when it is after now (the story stops).</summary>
    public bool Act(string step, string by, DateTimeOffset at, string action = "approve", string? comment = null, JsonObject? fields = null)
    {
        if (Open || ends)
        {
            return false;
        }

        if (at > now)
        {
            Open = true;
            return false;
        }

        if (actions.Count > 0 && at < actions[^1].At)
        {
            throw new InvalidOperationException($"Demo {flow}: action at {step} ({at:O}) is before the previous one ({actions[^1].At:O}).");
        }

        actions.Add(new DemoFlowAction(step, action, by, at.ToUniversalTime(), comment, fields));
        return true;
    }

    /// <summary>Stops the story at the step it reached: nobody has picked it up yet (a request that just came in).</summary>
    public void Wait() => Open = true;

    /// <summary>Rejects at <paramref name="step"/>: the flow ends there when it happened by now.</summary>
    public bool Reject(string step, string by, DateTimeOffset at, string comment)
    {
        if (!Act(step, by, at, "reject", comment))
        {
            return false;
        }

        ends = true;
        return true;
    }

    /// <summary>The plan; <paramref name="completes"/> says the last action taken finishes the flow (when the story got that far).</summary>
    public DemoFlowPlan Plan(bool completes = false) => new(flow, actions, ends || (completes && !Open && actions.Count > 0));
}
