namespace Platform.Designer.Services;

/// <summary>
/// The login page's answer: signed in, a wrong user name or password, or a user name locked for
/// <see cref="LockedMinutes"/> more minutes after too many failures.
/// </summary>
public sealed record SignInResult(bool Succeeded, int? LockedMinutes = null);
