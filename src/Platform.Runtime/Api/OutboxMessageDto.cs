using System.Text.Json.Nodes;

namespace Platform.Runtime.Api;

/// <summary>An outbox message and, for a single message, its delivery attempts.</summary>
public sealed record OutboxMessageDto(
    Guid Id,
    string Kind,
    string IdempotencyKey,
    string Status,
    int Attempts,
    JsonNode? Payload,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? LeaseUntil,
    string? ClaimedBy,
    string? LastError,
    IReadOnlyList<OutboxAttemptDto>? Deliveries);
