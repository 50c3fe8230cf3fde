using Platform.Runtime.Hosting;

namespace Platform.Runtime.Security;

/// <summary>The password rules (<c>Platform:Accounts</c>), checked wherever a password is set.</summary>
public sealed class PasswordPolicy(PlatformSettings settings)
{
    /// <summary>Longer passwords are refused: hashing is deliberately slow and must not become a way to tie up the server.</summary>
    public const int MaxLength = 128;

    /// <summary>Each rule the password breaks, as a message naming it (empty: acceptable).</summary>
    public IReadOnlyList<string> Check(string? password, string? userName = null)
    {
        var rules = settings.Accounts;
        var broken = new List<string>();
        password ??= string.Empty;
        if (password.Length < rules.PasswordMinLength)
        {
            broken.Add($"minLength: 至少 {rules.PasswordMinLength} 个字符 / at least {rules.PasswordMinLength} characters");
        }

        if (password.Length > MaxLength)
        {
            broken.Add($"maxLength: 最多 {MaxLength} 个字符 / at most {MaxLength} characters");
        }

        if (rules.PasswordRequireLetter && !password.Any(char.IsLetter))
        {
            broken.Add("letter: 须包含字母 / must contain a letter");
        }

        if (rules.PasswordRequireDigit && !password.Any(char.IsDigit))
        {
            broken.Add("digit: 须包含数字 / must contain a digit");
        }

        if (!string.IsNullOrEmpty(userName) && string.Equals(password, userName, StringComparison.OrdinalIgnoreCase))
        {
            broken.Add("notUserName: 不能与用户名相同 / must differ from the user name");
        }

        return broken;
    }
}
