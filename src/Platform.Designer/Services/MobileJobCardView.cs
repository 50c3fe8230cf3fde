namespace Platform.Designer.Services;

/// <summary>A field job on the phone's list: the task and record, the card's texts and the 导航 / 拨打 links.</summary>
public sealed record MobileJobCardView(
    Guid TaskId,
    string App,
    string Entity,
    Guid RecordId,
    string StepName,
    string Title,
    string? Customer,
    string? Phone,
    string? Address,
    string? Product,
    MobilePriorityView? Priority,
    string? Schedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    string? MapUrl,
    string? PhoneUrl);
