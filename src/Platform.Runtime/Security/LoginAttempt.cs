namespace Platform.Runtime.Security;

/// <summary>
/// A sign-in attempt counted before its password is checked: <see cref="Number"/> within the current window, or null when
/// the name is locked until <see cref="LockedUntil"/>. <see cref="Known"/> only says which table counts it, never the client.
/// </summary>
public sealed record LoginAttempt(string UserName, bool Known, int? Number, DateTimeOffset? LockedUntil);
