using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>The first answer given to an idempotency key; <see cref="StatusCode"/> 0 means that delivery is still being processed.</summary>
public sealed record InboundDelivery(int StatusCode, JsonObject? Response);
