namespace Platform.Designer.Services;

/// <summary>One entry of a rule's firing log: what fired it, whether the condition held, what the actions did, or the error.</summary>
public sealed record RuleFiringView(
    long Id,
    string Trigger,
    string? RecordId,
    string Status,
    bool? ConditionResult,
    IReadOnlyList<string> Actions,
    string? Error,
    double DurationMs,
    DateTimeOffset At,
    string By,
    int Depth);
