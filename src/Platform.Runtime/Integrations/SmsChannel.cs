using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Runtime.Integrations;

/// <summary>Kind <c>sms</c>: <c>{ app?, to, text, template? }</c>, checked (mainland mobile number) and handed to the <see cref="ISmsSender"/>.</summary>
public sealed partial class SmsChannel(ISmsSender sender) : IOutboxChannel
{
    /// <summary>Longest text accepted (a few concatenated SMS).</summary>
    public const int MaxTextLength = 500;

    public string Kind => OutboxKinds.Sms;

    public bool Enabled => true;

    /// <summary>The 11-digit mainland mobile number in <paramref name="to"/> (also written +86… or 86…), or null.</summary>
    public static string? NormalizeMobile(string? to)
    {
        var compact = to?.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var match = compact is null ? null : Mobile().Match(compact);
        return match is { Success: true } ? match.Groups["n"].Value : null;
    }

    public Task<OutboxDelivery> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload;
        var to = NormalizeMobile(Text(payload, "to")) ?? throw OutboxDeliveryException.BadPayload($"'{Text(payload, "to")}' is not a mainland mobile number");
        var text = Text(payload, "text");
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw OutboxDeliveryException.BadPayload($"text is required, at most {MaxTextLength} characters");
        }

        return sender.SendAsync(new SmsMessage(to, text, Text(payload, "template"), Text(payload, "app")), message.IdempotencyKey, ct);
    }

    private static string? Text(JsonObject payload, string field) =>
        payload[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex(@"^(?:\+?86)?(?<n>1[3-9]\d{9})$")]
    private static partial Regex Mobile();
}
