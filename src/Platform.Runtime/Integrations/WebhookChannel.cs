using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Kind <c>webhook</c>: <c>{ app, connector?, url?, method?, headers?, body? }</c> sent through the
/// <see cref="OutboundHttpGuard"/> with <c>Idempotency-Key</c>, <c>X-Platform-Timestamp</c>, the HMAC
/// <c>X-Platform-Signature</c> when the connector has a secret, and the connector's bearer or basic auth.
/// </summary>
public sealed class WebhookChannel(OutboundHttpGuard guard, TimeProvider time) : IOutboxChannel
{
    private static readonly HashSet<string> Methods = ["POST", "PUT", "PATCH", "GET", "DELETE"];

    public string Kind => OutboxKinds.Webhook;

    public bool Enabled => true;

    public async Task<OutboxDelivery> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload;
        var connector = message.Connector;
        var url = ConnectorUrl.Resolve(connector, Text(payload, "url"));
        var method = (Text(payload, "method") ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            throw OutboxDeliveryException.BadPayload($"method '{method}' is not one of POST, PUT, PATCH, GET, DELETE");
        }

        var body = payload["body"] is { } b ? Encoding.UTF8.GetBytes(b.ToJsonString()) : null;
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in connector?.Headers ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }

        if (payload["headers"] is JsonObject extra)
        {
            foreach (var (name, value) in extra)
            {
                if (ConnectorValidator.IsReservedHeader(name) || value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    throw OutboxDeliveryException.BadPayload($"header '{name}' may not be set by a message (reserved or not a string)");
                }

                headers[name] = v.GetValue<string>();
            }
        }
        else if (payload["headers"] is not null)
        {
            throw OutboxDeliveryException.BadPayload("headers must be an object { name: value }");
        }

        headers["Idempotency-Key"] = message.IdempotencyKey;
        headers[WebhookSignature.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (connector?.Secret is { Length: > 0 } secret)
        {
            headers[WebhookSignature.SignatureHeader] = WebhookSignature.Compute(secret, timestamp, body ?? []);
            switch (connector.AuthType)
            {
                case "bearer":
                    headers["Authorization"] = "Bearer " + secret;
                    break;
                case "basic":
                    headers["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connector.UserName}:{secret}"));
                    break;
            }
        }

        var response = await guard.SendAsync(
            new OutboundRequest(new HttpMethod(method), url, headers, body),
            message.Timeout,
            ct);
        return response.IsSuccess ? new OutboxDelivery(response.StatusCode) : throw OutboxDeliveryException.ForStatus(response.StatusCode, response.Body);
    }

    private static string? Text(JsonObject payload, string field) =>
        payload[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
