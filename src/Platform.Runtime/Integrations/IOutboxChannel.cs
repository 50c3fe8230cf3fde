namespace Platform.Runtime.Integrations;

/// <summary>Sends outbox messages of one <see cref="Kind"/> (email, webhook, sms, robot).</summary>
public interface IOutboxChannel
{
    /// <summary>The outbox <c>kind</c> this channel sends.</summary>
    string Kind { get; }

    /// <summary>False when this node cannot send the kind (e.g. no SMTP configured); its rows are left to other nodes.</summary>
    bool Enabled { get; }

    /// <summary>
    /// Sends one message. Returns on success; throws <see cref="OutboundRefusedException"/> (never retried),
    /// <see cref="OutboxDeliveryException"/> (permanent or not), or any other exception (retried with backoff).
    /// </summary>
    Task<OutboxDelivery> SendAsync(OutboxMessage message, CancellationToken ct);
}
