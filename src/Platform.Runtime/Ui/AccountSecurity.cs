using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Platform.Designer.Services;
using Platform.Runtime.Security;

namespace Platform.Runtime.Ui;

/// <summary>
/// The /account screen's password change. The circuit cannot set a cookie, so success hands the page a short-lived
/// protected ticket for <c>GET /account/resume</c>, which issues the fresh cookie; the ticket names the user, the new
/// security stamp and the session that asked, and only that browser (still holding that session's cookie) can use it.
/// </summary>
public sealed class AccountSecurity(CurrentUser user, PasswordChange change, LoginService login, IDataProtectionProvider protection) : IAccountSecurity
{
    /// <summary>How long the page has to follow the ticket.</summary>
    public static readonly TimeSpan ResumeLifetime = TimeSpan.FromMinutes(1);

    public const string ResumePurpose = "Platform.Account.Resume";

    public async Task<PasswordChangeResult> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken ct)
    {
        var principal = await user.PrincipalAsync();
        var userName = Api.RecordsEndpoints.UserName(principal);
        var outcome = await change.ChangeAsync(userName, currentPassword, newPassword, ct);
        if (outcome.LockedUntil is { } until)
        {
            return new PasswordChangeResult(null, outcome.Errors, (int)Math.Ceiling(login.SecondsUntil(until) / 60.0));
        }

        if (outcome.Changed is not { } changed)
        {
            return new PasswordChangeResult(null, outcome.Errors);
        }

        var session = principal.FindFirstValue(SessionClaims.SessionId) ?? string.Empty;
        var ticket = Protector(protection).Protect(string.Join('\n', changed.UserName, session, changed.SecurityStamp), ResumeLifetime);
        return new PasswordChangeResult("account/resume?ticket=" + Uri.EscapeDataString(ticket), outcome.Errors);
    }

    public static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(ResumePurpose).ToTimeLimitedDataProtector();
}
