namespace Platform.Designer.Services;

/// <summary>Checking a code: the session token, or the error for the phone or the code field.</summary>
public sealed record CustomerSignInResult(string? Token, string? PhoneError, string? CodeError);
