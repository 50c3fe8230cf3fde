namespace Platform.Runtime.Integrations;

/// <summary>The default SMS provider: writes the message to the log (number masked) and reports it sent.</summary>
public sealed class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public Task<OutboxDelivery> SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogInformation("SMS {Key} to {To} (template {Template}): {Text}", idempotencyKey, message.To[..3] + "****" + message.To[^4..], message.Template ?? "-", message.Text);
        return Task.FromResult(new OutboxDelivery(null));
    }
}
