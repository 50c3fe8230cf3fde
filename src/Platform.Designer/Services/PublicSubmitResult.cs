namespace Platform.Designer.Services;

/// <summary>A public submission's outcome: the tracking number, or errors keyed by field path (as the API's 422 names them).</summary>
public sealed record PublicSubmitResult(string? TrackingNo, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors, bool NotFound = false)
{
    public bool Ok => TrackingNo is not null;
}
