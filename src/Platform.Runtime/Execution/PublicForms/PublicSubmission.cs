namespace Platform.Runtime.Execution.PublicForms;

/// <summary>The outcome of a public form submission: the new record and its tracking number, or the field errors.</summary>
public sealed record PublicSubmission(Guid? RecordId, string? TrackingNo, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors, bool NotFound = false)
{
    public bool Ok => RecordId is not null;
}
