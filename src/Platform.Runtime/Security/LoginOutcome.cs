using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>
/// What a password check came to: <see cref="User"/> when it matched, else <see cref="LockedUntil"/> when the user name is
/// locked (for names that exist and names that do not alike), else just wrong.
/// </summary>
public sealed record LoginOutcome(UserRow? User, DateTimeOffset? LockedUntil)
{
    public bool Succeeded => User is not null;

    public bool Locked => LockedUntil is not null;
}
