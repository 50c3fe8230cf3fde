using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Kind <c>robot</c>: <c>{ app?, provider, connector?, url?, title?, text }</c> to a WeCom, DingTalk or Feishu group
/// robot through the <see cref="OutboundHttpGuard"/>. These answer 200 with an error code in the body, so a non-zero
/// <c>errcode</c>/<c>code</c> counts as a failure too.
/// </summary>
public sealed class RobotChannel(OutboundHttpGuard guard, TimeProvider time) : IOutboxChannel
{
    public string Kind => OutboxKinds.Robot;

    public bool Enabled => true;

    public async Task<OutboxDelivery> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload;
        var provider = Text(payload, "provider") ?? (message.Connector?.Kind is { } kind && RobotMessageFormatter.Providers.Contains(kind) ? kind : null)
            ?? throw OutboxDeliveryException.BadPayload("provider is required: wecom | dingtalk | feishu");
        var text = Text(payload, "text") ?? throw OutboxDeliveryException.BadPayload("text is required");
        var url = ConnectorUrl.Resolve(message.Connector, Text(payload, "url"));
        var (target, body) = RobotMessageFormatter.Format(provider, url, Text(payload, "title"), text, message.Connector?.Secret, time.GetUtcNow());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Idempotency-Key"] = message.IdempotencyKey };
        var response = await guard.SendAsync(
            new OutboundRequest(HttpMethod.Post, target, headers, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json; charset=utf-8"),
            message.Timeout,
            ct);
        if (!response.IsSuccess)
        {
            throw OutboxDeliveryException.ForStatus(response.StatusCode, response.Body);
        }

        var code = ErrorCode(response.Body);
        return code is null or 0
            ? new OutboxDelivery(response.StatusCode)
            : throw new OutboxDeliveryException($"{provider} answered error {code}: {(response.Body.Length > 300 ? response.Body[..300] : response.Body)}", response.StatusCode, permanent: false);
    }

    private static long? ErrorCode(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject reply && (reply["errcode"] ?? reply["code"] ?? reply["StatusCode"]) is JsonValue v && v.TryGetValue<long>(out var code) ? code : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject payload, string field) =>
        payload[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
