namespace Platform.Designer.Services;

/// <summary>A page of a record list and the total, or the errors (keyed filter, sort, page, pageSize) that refused the query.</summary>
public sealed record RecordListView(IReadOnlyList<RecordRow> Rows, long Total, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    /// <summary>Whether the viewer's roles may create records of the entity.</summary>
    public bool CanCreate { get; init; } = true;
}
