namespace Platform.Designer.Services;

/// <summary>
/// The answer to a password change: where to continue on success, else the refused fields (<c>currentPassword</c>,
/// <c>newPassword</c>) with their messages, or the minutes the account stays locked.
/// </summary>
public sealed record PasswordChangeResult(string? ResumeUrl, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors, int? LockedMinutes = null)
{
    public bool Succeeded => ResumeUrl is not null;
}
