namespace Platform.Runtime.Integrations;

/// <summary>An SMS provider. Implementations pass <c>idempotencyKey</c> on so a resend after a crash is recognisable.</summary>
public interface ISmsSender
{
    Task<OutboxDelivery> SendAsync(SmsMessage message, string idempotencyKey, CancellationToken ct);
}
