namespace Platform.Runtime.Api;

/// <summary>A connector as the API shows it: never the secret, only whether one is stored.</summary>
public sealed record ConnectorDto(
    string App,
    string Key,
    string? Name,
    string Kind,
    string BaseUrl,
    IReadOnlyDictionary<string, string> Headers,
    ConnectorAuthDto Auth,
    int TimeoutSeconds,
    int Retries,
    bool HasSecret,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy)
{
    public static ConnectorDto From(Integrations.Connector c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.App, c.Key, c.Name, c.Kind, c.BaseUrl, c.Headers, new ConnectorAuthDto(c.AuthType, c.UserName), c.TimeoutSeconds, c.Retries, c.HasSecret, c.UpdatedAt, c.UpdatedBy);
    }
}
