namespace Platform.Designer.Services;

/// <summary>What a record list asks for: filters, <c>sort</c> (<c>field</c> or <c>-field</c>), page (from 1) and page size.</summary>
public sealed record RecordListQuery(IReadOnlyList<RecordFilter> Filters, string? Sort, int Page, int PageSize);
