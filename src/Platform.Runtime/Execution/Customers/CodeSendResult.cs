namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// What asking for a code came to: sent (another may follow after <see cref="RetryAfter"/>), refused for a bad phone
/// (<see cref="Error"/>), refused by a rate limit (<see cref="TooMany"/>, try again after <see cref="RetryAfter"/>),
/// or no such app / portal off (<see cref="NotFound"/>).
/// </summary>
public sealed record CodeSendResult(bool Sent, bool NotFound, bool TooMany, string? Error, TimeSpan RetryAfter, TimeSpan ExpiresIn)
{
    public static readonly CodeSendResult Missing = new(false, true, false, null, TimeSpan.Zero, TimeSpan.Zero);

    public static CodeSendResult Invalid(string message) => new(false, false, false, message, TimeSpan.Zero, TimeSpan.Zero);

    public static CodeSendResult Limited(TimeSpan retryAfter, string message) => new(false, false, true, message, retryAfter, TimeSpan.Zero);
}
