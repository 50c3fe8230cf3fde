namespace Platform.Runtime.Integrations;

/// <summary>A validated PUT of a connector. <see cref="SecretGiven"/> false keeps the stored secret; given and null removes it.</summary>
public sealed record ConnectorChange(
    string? Name,
    string Kind,
    string BaseUrl,
    IReadOnlyDictionary<string, string> Headers,
    string AuthType,
    string? UserName,
    int TimeoutSeconds,
    int Retries,
    bool SecretGiven,
    string? Secret);
