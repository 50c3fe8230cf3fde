namespace Platform.Runtime.Integrations;

/// <summary>The outbox <c>kind</c> values the dispatcher sends.</summary>
public static class OutboxKinds
{
    public const string Email = "email";

    public const string Webhook = "webhook";

    public const string Sms = "sms";

    public const string Robot = "robot";
}
