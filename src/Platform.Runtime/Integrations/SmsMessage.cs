namespace Platform.Runtime.Integrations;

/// <summary>A validated SMS: mainland mobile number (11 digits), text, optional provider template id.</summary>
public sealed record SmsMessage(string To, string Text, string? Template, string? App);
