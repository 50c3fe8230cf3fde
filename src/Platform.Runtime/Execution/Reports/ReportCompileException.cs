namespace Platform.Runtime.Execution.Reports;

/// <summary>Viewer input that cannot be applied to the report; becomes a 422 naming the parameter and the rule.</summary>
public sealed class ReportCompileException(IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; } = errors;
}
