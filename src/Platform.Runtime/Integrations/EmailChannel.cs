using MailKit.Net.Smtp;
using MailKit.Security;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Kind <c>email</c>: <c>{ to, subject, body, html?, attachments? }</c> (see <see cref="EmailMessageBuilder"/>) over SMTP
/// (MailKit); the idempotency key becomes the Message-Id.
/// </summary>
public sealed class EmailChannel(PlatformSettings settings) : IOutboxChannel
{
    public string Kind => OutboxKinds.Email;

    public bool Enabled => settings.Smtp.Enabled;

    public async Task<OutboxDelivery> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = settings.Smtp;
        if (!smtp.Enabled)
        {
            throw new InvalidOperationException("SMTP is not configured (Platform:Smtp:Host)");
        }

        var mail = EmailMessageBuilder.Build(message, smtp.From);
        // Within the outbox lease (default timeout + margin), so a slow server cannot outlive the claim.
        using var client = new SmtpClient { Timeout = Connector.DefaultTimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, ct);
        }

        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
        return new OutboxDelivery(null);
    }
}
