namespace Platform.Runtime.Api;

/// <summary>A page of outbox messages, newest first, and how many match the filter.</summary>
public sealed record OutboxListDto(IReadOnlyList<OutboxMessageDto> Items, long Total);
