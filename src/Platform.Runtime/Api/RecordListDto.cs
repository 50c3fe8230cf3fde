namespace Platform.Runtime.Api;

/// <summary>A page of records: <c>{ items, total }</c>.</summary>
public sealed record RecordListDto(IReadOnlyList<RecordDto> Items, long Total);
