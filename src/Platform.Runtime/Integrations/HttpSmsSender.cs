using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Integrations;

/// <summary>
/// SMS through an HTTP gateway (<c>Platform:Sms:Provider=http</c>): POSTs <c>{ to, text, template }</c> to
/// <c>Platform:Sms:Url</c> with <c>Idempotency-Key</c> and <c>Authorization: Bearer Platform:Sms:Token</c>, through the
/// outbound guard like every other request.
/// </summary>
public sealed class HttpSmsSender(OutboundHttpGuard guard, PlatformSettings settings) : ISmsSender
{
    public async Task<OutboxDelivery> SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sms = settings.Sms;
        if (!Uri.TryCreate(sms.Url, UriKind.Absolute, out var url))
        {
            throw new InvalidOperationException("Platform:Sms:Url is not an absolute URL");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Idempotency-Key"] = idempotencyKey };
        if (!string.IsNullOrEmpty(sms.Token))
        {
            headers["Authorization"] = "Bearer " + sms.Token;
        }

        var body = new JsonObject { ["to"] = message.To, ["text"] = message.Text, ["template"] = message.Template };
        var response = await guard.SendAsync(
            new OutboundRequest(HttpMethod.Post, url, headers, Encoding.UTF8.GetBytes(body.ToJsonString())),
            TimeSpan.FromSeconds(Math.Clamp(sms.TimeoutSeconds, 1, 60)),
            ct);
        return response.IsSuccess ? new OutboxDelivery(response.StatusCode) : throw OutboxDeliveryException.ForStatus(response.StatusCode, response.Body);
    }
}
