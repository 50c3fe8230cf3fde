namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// Whether a password an administrator sets (new user, reset) is acceptable. The one place the user administration
/// asks; it applies the platform's <see cref="Security.PasswordPolicy"/>.
/// </summary>
public sealed class NewPasswordCheck(Security.PasswordPolicy policy)
{
    /// <summary>What is wrong with <paramref name="password"/> for <paramref name="userName"/> under the password policy; empty when it may be set.</summary>
    public IReadOnlyList<string> Problems(string userName, string? password) => policy.Check(password, userName);
}
