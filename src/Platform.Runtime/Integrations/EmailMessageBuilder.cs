using System.Text.Json.Nodes;
using MimeKit;

namespace Platform.Runtime.Integrations;

/// <summary>
/// The MIME message of an <c>email</c> outbox row. Payload: <c>to</c> (an address or an array of them), <c>subject</c>,
/// <c>body</c> (plain text), optional <c>html</c> (sent as the alternative to the text), optional
/// <c>attachments: [{ fileName, contentType, content }]</c> with base64 content, at most
/// <see cref="MaxAttachmentBytes"/> decoded in all. A payload that breaks these rules is a permanent failure.
/// </summary>
public static class EmailMessageBuilder
{
    /// <summary>Largest total size of a message's attachments (decoded).</summary>
    public const int MaxAttachmentBytes = 5 * 1024 * 1024;

    public static MimeMessage Build(OutboxMessage message, string from)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload;
        var mail = new MimeMessage { Subject = payload["subject"]?.ToString() ?? string.Empty, MessageId = $"{message.IdempotencyKey.Replace(':', '.')}@platform" };
        mail.From.Add(MailboxAddress.Parse(from));
        var to = payload["to"] switch
        {
            JsonArray many => many.Select(a => a?.ToString()).Where(a => !string.IsNullOrWhiteSpace(a)).ToList(),
            { } one => [one.ToString()],
            null => [],
        };
        if (to.Count == 0)
        {
            throw OutboxDeliveryException.BadPayload("to is required");
        }

        foreach (var address in to)
        {
            if (!MailboxAddress.TryParse(address, out var mailbox))
            {
                throw OutboxDeliveryException.BadPayload($"'{address}' is not an e-mail address");
            }

            mail.To.Add(mailbox);
        }

        var body = new BodyBuilder { TextBody = payload["body"]?.ToString() ?? string.Empty };
        if (payload["html"]?.ToString() is { Length: > 0 } html)
        {
            body.HtmlBody = html;
        }

        var total = 0L;
        foreach (var attachment in payload["attachments"] as JsonArray ?? [])
        {
            var name = attachment?["fileName"]?.ToString();
            var content = attachment?["content"]?.ToString();
            if (string.IsNullOrWhiteSpace(name) || content is null)
            {
                throw OutboxDeliveryException.BadPayload("an attachment needs fileName and content (base64)");
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(content);
            }
            catch (FormatException)
            {
                throw OutboxDeliveryException.BadPayload($"attachment '{name}' is not base64");
            }

            total += bytes.Length;
            if (total > MaxAttachmentBytes)
            {
                throw OutboxDeliveryException.BadPayload($"attachments exceed {MaxAttachmentBytes / 1024 / 1024} MB");
            }

            var type = ContentType.TryParse(attachment?["contentType"]?.ToString() ?? "application/octet-stream", out var parsed)
                ? parsed
                : new ContentType("application", "octet-stream");
            body.Attachments.Add(name, bytes, type);
        }

        mail.Body = body.ToMessageBody();
        return mail;
    }
}
