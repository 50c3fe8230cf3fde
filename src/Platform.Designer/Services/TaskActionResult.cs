namespace Platform.Designer.Services;

/// <summary>The result of a task or instance action: the outcome, a message, and the errors by field for Invalid.</summary>
public sealed record TaskActionResult(TaskActionOutcome Outcome, string? Message, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    public bool IsOk => Outcome == TaskActionOutcome.Ok;
}
