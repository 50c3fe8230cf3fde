namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// What checking a code came to: a session (and its token), a malformed phone (<see cref="PhoneError"/>), no such app
/// (<see cref="NotFound"/>), or — for a wrong, expired, used or worn-out code alike — neither.
/// </summary>
public sealed record CodeVerifyResult(string? Token, CustomerSession? Session, bool NotFound, string? PhoneError)
{
    public static readonly CodeVerifyResult Missing = new(null, null, true, null);

    public static readonly CodeVerifyResult Wrong = new(null, null, false, null);

    /// <summary>The one message for every code that does not open a session.</summary>
    public const string WrongMessage = "验证码错误或已失效，请重新获取 / the code is wrong or no longer valid; request a new one";

    public bool Ok => Session is not null;
}
