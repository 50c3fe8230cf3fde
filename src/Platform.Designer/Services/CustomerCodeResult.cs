namespace Platform.Designer.Services;

/// <summary>Asking for a code: sent (the next one after <see cref="WaitSeconds"/>), or refused with <see cref="Error"/> (a rate limit also gives the wait).</summary>
public sealed record CustomerCodeResult(bool Sent, string? Error, int WaitSeconds);
