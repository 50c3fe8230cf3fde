namespace Platform.Runtime.Persistence;

/// <summary>One page of a record list and the total count of matching records.</summary>
public sealed record RecordPage(IReadOnlyList<StoredRecord> Items, long Total);
