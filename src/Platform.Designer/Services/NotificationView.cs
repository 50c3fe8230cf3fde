namespace Platform.Designer.Services;

/// <summary>An in-app notification; <see cref="Link"/> is the UI route of its record, when it has one.</summary>
public sealed record NotificationView(long Id, string Kind, string Title, string? Body, string? Link, DateTimeOffset CreatedAt, bool Read);
