namespace Platform.Designer.Services;

/// <summary>The signed-in user's own account: changing their password (implemented by the runtime).</summary>
public interface IAccountSecurity
{
    /// <summary>
    /// Checks the current password (it counts toward the lockout like a sign-in) and the policy, then sets the new one,
    /// which ends every other session of the user. On success the page goes to <see cref="PasswordChangeResult.ResumeUrl"/>
    /// (with a full load) to get a fresh cookie for this browser.
    /// </summary>
    Task<PasswordChangeResult> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken ct);
}
