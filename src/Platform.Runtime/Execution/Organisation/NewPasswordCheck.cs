namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// Whether a password an administrator sets (new user, reset) is acceptable. The one place the user administration
/// asks, so a stricter password policy applies to it by changing only this class.
/// </summary>
public sealed class NewPasswordCheck
{
    public const int MinLength = 8;

    public const int MaxLength = 128;

    /// <summary>What is wrong with <paramref name="password"/> for <paramref name="userName"/>; empty when it may be set.</summary>
    public IReadOnlyList<string> Problems(string userName, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return ["请输入密码 / the password is required"];
        }

        var problems = new List<string>();
        if (password.Length < MinLength)
        {
            problems.Add($"密码至少 {MinLength} 位 / at least {MinLength} characters");
        }

        if (password.Length > MaxLength)
        {
            problems.Add($"密码最多 {MaxLength} 位 / at most {MaxLength} characters");
        }

        if (string.Equals(password, userName, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("密码不能与用户名相同 / must differ from the user name");
        }

        return problems;
    }
}
