namespace Platform.Core.Metadata;

/// <summary>
/// A form anonymous users fill through a link, QR code or embed. It creates records of
/// <see cref="Entity"/>; <see cref="TrackingField"/> (an auto-number) and <see cref="PhoneField"/> let
/// the customer track the record later.
/// </summary>
public sealed record PublicFormDefinition
{
    public required string Key { get; init; }

    public required string Entity { get; init; }

    public required string Title { get; init; }

    public string? TitleEn { get; init; }

    public string? Description { get; init; }

    /// <summary>Fields shown on the public form; empty means every non-system field.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public string? TrackingField { get; init; }

    public string? PhoneField { get; init; }

    public string? SuccessMessage { get; init; }

    public bool Enabled { get; init; } = true;
}
