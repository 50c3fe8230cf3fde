namespace Platform.Designer.Services;

/// <summary>One line of a flow's history: step, action, who (display name), when, comment, target and the changed fields as <c>label：value</c>.</summary>
public sealed record FlowHistoryView(
    int Seq, string Step, string StepName, string Action, string By, DateTimeOffset At, string? Comment, string? To, IReadOnlyList<string> Changes);
