using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>A list query compiled to SQL text (names from metadata only) and parameters (values only).</summary>
public sealed record CompiledRecordQuery(string Where, string OrderBy, int Limit, int Offset, IReadOnlyList<NpgsqlParameter> Parameters)
{
    /// <summary>The conditions every list of the entity has (app and entity); <see cref="Where"/> equals it when nothing filters.</summary>
    public string? BaseWhere { get; init; }

    /// <summary>The sort's key expression over a records row (<see cref="OrderBy"/> is it, <see cref="SortOrder"/>, then the id).</summary>
    public string SortKey { get; init; } = "created_at";

    /// <summary>The direction of <see cref="SortKey"/> in <see cref="OrderBy"/>, e.g. <c>desc nulls last</c>.</summary>
    public string SortOrder { get; init; } = "desc";

    /// <summary>The direction of the id, the tie-breaker, in <see cref="OrderBy"/>.</summary>
    public string IdOrder { get; init; } = "desc";
}
