using System.Text.Json.Nodes;

namespace Platform.Core.Printing;

/// <summary>
/// A record as a print template sees it: its stored data plus what the runtime looked up for it (names of the people,
/// the flow's status and history, links, related records). Everything but <see cref="Data"/> is display text.
/// </summary>
public sealed record PrintRecord
{
    public required Guid Id { get; init; }

    public required JsonObject Data { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Display name of the creator.</summary>
    public string? CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? UpdatedBy { get; init; }

    /// <summary><c>{{_status}}</c>: the status field's label, else the flow's status in words.</summary>
    public string? Status { get; init; }

    /// <summary><c>{{_status.raw}}</c>: the status value or flow status key.</summary>
    public string? StatusRaw { get; init; }

    /// <summary><c>{{_step}}</c>: the flow steps the record is at, by name.</summary>
    public string? Step { get; init; }

    /// <summary>The customer's tracking number (the public form's tracking field), when the record has one.</summary>
    public string? TrackingNo { get; init; }

    /// <summary>The customer's tracking link, what <c>{{qr}}</c> encodes.</summary>
    public string? TrackingUrl { get; init; }

    /// <summary>The record's page in the platform, what <c>{{qr:record}}</c> encodes.</summary>
    public string? RecordUrl { get; init; }

    public IReadOnlyList<PrintHistoryEntry> History { get; init; } = [];

    /// <summary>Records of other entities referencing this one, by <see cref="PrintRelatedSource.Key"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PrintRecord>> Related { get; init; } = new Dictionary<string, IReadOnlyList<PrintRecord>>();
}
