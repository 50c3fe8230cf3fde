namespace Platform.Runtime.Execution.PublicForms;

/// <summary>
/// The outcome of a public form submission: the new record and its tracking number, or the field errors; for a
/// per-record form whose record was already answered, <see cref="Conflict"/> says so and nothing is written.
/// </summary>
public sealed record PublicSubmission(Guid? RecordId, string? TrackingNo, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors, bool NotFound = false, string? Conflict = null)
{
    public bool Ok => RecordId is not null;
}
