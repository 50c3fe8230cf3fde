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
    TrackingView Tracking);
