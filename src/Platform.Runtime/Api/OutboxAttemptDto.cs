namespace Platform.Runtime.Api;

/// <summary>One delivery attempt: which node, the outcome (sent | retry | failed | refused | lost), the receiver's status, how long it took.</summary>
public sealed record OutboxAttemptDto(int Attempt, DateTimeOffset At, string Node, string Outcome, int? StatusCode, string? Error, int? DurationMs);
