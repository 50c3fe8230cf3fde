namespace Platform.Runtime.Api;

/// <summary>How a connector authenticates: none | bearer | basic | hmac, and the basic-auth user name.</summary>
public sealed record ConnectorAuthDto(string Type, string? UserName);
