namespace Platform.Designer.Services;

/// <summary>A public submission's outcome: the tracking number, or errors keyed by field path (as the API's 422 names them).</summary>
public sealed record PublicSubmitResult(string? TrackingNo, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors, bool NotFound = false)
{
    /// <summary>Why a per-record form refused a second answer (the API's 409); null otherwise.</summary>
    public string? Conflict { get; init; }

    public bool Ok => TrackingNo is not null;
}
