namespace Platform.Runtime.Api;

/// <summary>An in-app notification.</summary>
public sealed record NotificationDto(long Id, string Kind, string Title, string? Body, string? Link, Guid? InstanceId, Guid? TaskId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);
