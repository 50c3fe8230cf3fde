namespace Platform.Designer.Services;

/// <summary>The bell: the newest notifications and how many are unread.</summary>
public sealed record NotificationsView(IReadOnlyList<NotificationView> Items, long Unread);
