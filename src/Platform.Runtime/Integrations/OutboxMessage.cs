using System.Text.Json.Nodes;

namespace Platform.Runtime.Integrations;

/// <summary>A claimed outbox row handed to a channel, with its connector (secret decrypted) when the payload names one.</summary>
public sealed record OutboxMessage(Guid Id, string Kind, string IdempotencyKey, JsonObject Payload, int Attempt, Connector? Connector)
{
    /// <summary>The time budget of one attempt: the connector's timeout, else <see cref="Connector.DefaultTimeoutSeconds"/>.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(Connector?.TimeoutSeconds ?? Integrations.Connector.DefaultTimeoutSeconds);
}
