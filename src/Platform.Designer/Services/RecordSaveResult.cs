namespace Platform.Designer.Services;

/// <summary>
/// The outcome of a form submission: the saved record's id (and tracking number for public forms), or the
/// field errors keyed as the API's 422 names them (<c>phone</c>, <c>items[2].quantity</c>), or a conflict
/// (stale version) or not-found message.
/// </summary>
public sealed record RecordSaveResult
{
    public Guid? Id { get; init; }

    public int? Version { get; init; }

    public string? TrackingNo { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Set when the record was changed by someone else since it was opened (HTTP 409).</summary>
    public string? Conflict { get; init; }

    /// <summary>Set when the record or entity does not exist (HTTP 404) or the user may not save it.</summary>
    public string? Failure { get; init; }

    public bool Succeeded => Id is not null && Errors.Count == 0 && Conflict is null && Failure is null;

    public static RecordSaveResult Saved(Guid id, int version, string? trackingNo = null) => new() { Id = id, Version = version, TrackingNo = trackingNo };

    public static RecordSaveResult Invalid(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) => new() { Errors = errors };
}
