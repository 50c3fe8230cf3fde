namespace Platform.Runtime.Execution.Mobile;

/// <summary>
/// One open field job of the caller, as the phone view's list shows it: the task, the record it is about, the card's
/// texts (formatted as exports show them), and the links of its 导航 and 拨打 buttons.
/// </summary>
public sealed record MobileJobCard(
    Guid TaskId,
    string App,
    string Entity,
    Guid RecordId,
    string Step,
    string StepName,
    string Title,
    string? Customer,
    string? Phone,
    string? Address,
    string? Product,
    MobilePriority? Priority,
    string? Schedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    string? MapUrl,
    string? PhoneUrl);
