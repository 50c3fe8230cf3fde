namespace Platform.Core.Metadata;

/// <summary>
/// A cross-field rule: <see cref="Expression"/> must evaluate to true, otherwise <see cref="Message"/> is
/// reported on <see cref="Field"/>. <see cref="When"/> limits the rule to records where it is true.
/// </summary>
public sealed record ValidationRule
{
    public required string Key { get; init; }

    public required string Expression { get; init; }

    /// <summary>Field the error is reported on.</summary>
    public required string Field { get; init; }

    public required string Message { get; init; }

    public string? MessageEn { get; init; }

    public string? When { get; init; }
}
