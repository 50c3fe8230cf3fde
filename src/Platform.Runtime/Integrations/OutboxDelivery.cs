namespace Platform.Runtime.Integrations;

/// <summary>A successful delivery: the receiver's HTTP status when there was one.</summary>
public sealed record OutboxDelivery(int? StatusCode);
