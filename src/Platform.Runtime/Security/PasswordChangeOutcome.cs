using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>
/// What "change my password" came to: the user with the new password and stamp, or the refused fields
/// (<c>currentPassword</c>, <c>newPassword</c> with the rules broken), or the lock that stopped the check.
/// </summary>
public sealed record PasswordChangeOutcome(UserRow? Changed, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors, DateTimeOffset? LockedUntil)
{
    public bool Succeeded => Changed is not null;
}
