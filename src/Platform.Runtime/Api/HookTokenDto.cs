namespace Platform.Runtime.Api;

/// <summary>A freshly issued hook token (shown once) and the URL to post deliveries to.</summary>
public sealed record HookTokenDto(string Token, string Url);
