namespace Platform.Runtime.Security;

/// <summary>
/// "Change my password", shared by <c>POST /api/auth/password</c>, <c>POST /api/account/password</c> and the /account
/// screen: the policy first (nothing is counted for a new password that would be refused anyway), then the current
/// password through the sign-in check, so a wrong one counts toward the lockout; success sets the password and a new
/// security stamp, which ends every session of the user on every node.
/// </summary>
public sealed class PasswordChange(LoginService login, UserStore users, PasswordPolicy policy, SessionGuard sessions)
{
    public async Task<PasswordChangeOutcome> ChangeAsync(string userName, string? current, string? next, CancellationToken ct)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(current))
        {
            errors["currentPassword"] = ["required / 请输入当前密码"];
        }

        var broken = policy.Check(next, userName).ToList();
        if (next is not null && next == current)
        {
            broken.Add("notCurrent: 不能与当前密码相同 / must differ from the current password");
        }

        if (broken.Count > 0)
        {
            errors["newPassword"] = broken;
        }

        if (errors.Count > 0)
        {
            return new PasswordChangeOutcome(null, errors, null);
        }

        var outcome = await login.CheckAsync(userName, current!, ct);
        if (outcome.LockedUntil is { } until)
        {
            return new PasswordChangeOutcome(null, errors, until);
        }

        if (!outcome.Succeeded)
        {
            return new PasswordChangeOutcome(null, new Dictionary<string, IReadOnlyList<string>> { ["currentPassword"] = ["wrong / 当前密码不正确"] }, null);
        }

        var changed = await users.SetPasswordAsync(userName, next!, ct);
        sessions.Forget();
        return changed is null
            ? new PasswordChangeOutcome(null, new Dictionary<string, IReadOnlyList<string>> { ["currentPassword"] = ["no such user / 用户不存在"] }, null)
            : new PasswordChangeOutcome(changed, errors, null);
    }
}
