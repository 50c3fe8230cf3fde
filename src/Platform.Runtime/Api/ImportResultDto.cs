namespace Platform.Runtime.Api;

/// <summary>Answer of a successful import: <c>{ appKey, version, created, seededRecords }</c>.</summary>
public sealed record ImportResultDto(string AppKey, int Version, bool Created, int SeededRecords);
