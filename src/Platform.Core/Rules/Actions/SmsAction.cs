namespace Platform.Core.Rules.Actions;

/// <summary><c>sms</c>: a text message through the outbox and the configured SMS provider, to users' phones or a phone from the record.</summary>
public sealed class SmsAction : MessageAction
{
    public override string Name => "sms";
}
