namespace Platform.Runtime.Integrations;

/// <summary>
/// An app's configured outbound endpoint (generic HTTP or a WeCom/DingTalk/Feishu robot). <see cref="Secret"/> is the
/// decrypted secret, filled only for sending and never serialized by any API.
/// </summary>
public sealed record Connector(
    string App,
    string Key,
    string? Name,
    string Kind,
    string BaseUrl,
    IReadOnlyDictionary<string, string> Headers,
    string AuthType,
    string? UserName,
    int TimeoutSeconds,
    int Retries,
    bool HasSecret,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy)
{
    /// <summary>Timeout when the connector sets none (and for messages without a connector).</summary>
    public const int DefaultTimeoutSeconds = 10;

    /// <summary>The plain secret; only <see cref="ConnectorStore.FindAsync"/> fills it.</summary>
    public string? Secret { get; init; }
}
