namespace Platform.Designer.Services;

/// <summary>One request as its customer sees it: kind, type, status (with the option's colour), the allowed fields and the timeline.</summary>
public sealed record CustomerRequestView(
    string App,
    string Entity,
    string EntityLabel,
    string? EntityLabelEn,
    string? TypeLabel,
    string? TypeLabelEn,
    string? StatusLabelEn,
    string? StatusColor,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CustomerFieldView> Fields,
    TrackingView Tracking)
{
    /// <summary>What the request is about (e.g. the product's name), shown on its card; null when the portal names no summary field.</summary>
    public string? Summary { get; init; }

    /// <summary>The summary in English (English option labels); null when it reads the same or there is none.</summary>
    public string? SummaryEn { get; init; }

    /// <summary>The forms offered on the request now (a rating once the job is done); empty when none.</summary>
    public IReadOnlyList<CustomerOfferView> Offers { get; init; } = [];
}
