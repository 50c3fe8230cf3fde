namespace Platform.Runtime.Tests.Scenarios;

/// <summary>One stay of a record's flow in a task step: entered, and left at the next step entered or the flow's end (null while still there).</summary>
internal sealed record RawVisit(Guid RecordId, DateTimeOffset RecordCreatedAt, string Step, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt);
