namespace Platform.Core.Flows.Definitions;

/// <summary>
/// Makes a task step a field job on the phone view (<c>/m</c>): which fields of the flow's record the job card and
/// page show, the image fields the assignee fills on site, and the entity that records the parts used. Every value
/// is a field key of the flow's entity unless said otherwise; all but <see cref="Signature"/> are optional.
/// </summary>
public sealed record MobileJobSettings
{
    /// <summary>The customer's name on the card (any field; a reference shows its display field).</summary>
    public string? Customer { get; init; }

    /// <summary>The number the 拨打 button calls (phone or text field).</summary>
    public string? Phone { get; init; }

    /// <summary>The visit address the 导航 button searches on the map (text or textarea field).</summary>
    public string? Address { get; init; }

    /// <summary>The product or device to work on (any field).</summary>
    public string? Product { get; init; }

    /// <summary>A select field whose options are listed from lowest to highest priority: later options sort first and show as a chip.</summary>
    public string? Priority { get; init; }

    /// <summary>A date or date-time field with the planned visit; jobs of the same priority sort by it.</summary>
    public string? Schedule { get; init; }

    /// <summary>The fault or request description (text or textarea field).</summary>
    public string? Description { get; init; }

    /// <summary>An image field with the customer's own photos, shown read-only.</summary>
    public string? Photos { get; init; }

    /// <summary>More fields shown on the job page, in this order.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>An image field the assignee fills with photos of the work; must be editable at the step.</summary>
    public string? WorkPhotos { get; init; }

    /// <summary>
    /// An image field holding the customer's signature, drawn on the phone when the job is completed. It must be
    /// editable and required at the step, so the server refuses completion without it.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>The entity that records parts used on the job; null when the job records none.</summary>
    public MobilePartsSettings? Parts { get; init; }

    /// <summary>The map the 导航 button opens: <c>amap</c> (default) or <c>baidu</c>.</summary>
    public string Map { get; init; } = MobileMaps.Amap;
}
