namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// A customer's request as the customer may see it: which kind of record (entity label, type option), its number and
/// status (label and colour of the status option), the fields the portal allows, and the parcel-style timeline
/// (<see cref="TrackingResult"/>, the same as the number + phone lookup).
/// </summary>
public sealed record CustomerRequest(
    string App,
    string Entity,
    string EntityLabel,
    string? EntityLabelEn,
    string? Type,
    string? TypeLabel,
    string? TypeLabelEn,
    string? StatusLabelEn,
    string? StatusColor,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CustomerField> Fields,
    TrackingResult Tracking)
{
    /// <summary>What the request is about (the portal's summary field as text, a reference by its display label); null without one.</summary>
    public string? Summary { get; init; }

    /// <summary>The summary as an English reader sees it (English option labels, Yes/No); a reference's label as in <see cref="Summary"/>.</summary>
    public string? SummaryEn { get; init; }

    /// <summary>The per-record forms offered now (a rating of the finished job), each with its signed link; empty when none.</summary>
    public IReadOnlyList<CustomerOffer> Offers { get; init; } = [];
}
