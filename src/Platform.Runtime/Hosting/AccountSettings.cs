namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform:Accounts</c> section: password policy, lockout and how long sign-ins last.</summary>
public sealed class AccountSettings
{
    /// <summary>Shortest password accepted wherever a password is set (user creation, admin reset, change my password).</summary>
    public int PasswordMinLength { get; set; } = 8;

    /// <summary>Whether a password needs at least one letter.</summary>
    public bool PasswordRequireLetter { get; set; } = true;

    /// <summary>Whether a password needs at least one digit.</summary>
    public bool PasswordRequireDigit { get; set; } = true;

    /// <summary>Failed sign-ins of one user name within <see cref="LockoutWindowMinutes"/> that lock it.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>The window in which failures are counted.</summary>
    public int LockoutWindowMinutes { get; set; } = 15;

    /// <summary>How long a locked user name stays locked (an administrator may unlock it earlier).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Lifetime of a bearer token from sign-in (absolute).</summary>
    public int BearerTokenMinutes { get; set; } = 480;

    /// <summary>Idle lifetime of the browser cookie (renewed while used).</summary>
    public int CookieMinutes { get; set; } = 480;

    /// <summary>Absolute lifetime of a browser sign-in however active, in hours.</summary>
    public int CookieMaxHours { get; set; } = 24;

    /// <summary>
    /// How long a node trusts its last look at a session (user active, security stamp, not logged out) before asking the
    /// database again: the longest a revocation made on another node takes to reach this one.
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 10;

    /// <summary>How often an open UI page (a Blazor circuit) checks that its sign-in still stands.</summary>
    public int CircuitCheckSeconds { get; set; } = 60;
}
