namespace Platform.Core.Metadata;

/// <summary>
/// What an <c>aggregate</c> field computes: the count (or the sum of <see cref="Field"/>) of the records of
/// <see cref="Entity"/> whose reference field <see cref="Reference"/> points at this record and that meet every condition
/// of <see cref="Where"/>. The value is derived from the data and kept by the database in every writing transaction; nobody
/// writes it by hand.
/// </summary>
public sealed record AggregateSettings
{
    /// <summary>The entity whose records are counted or summed.</summary>
    public required string Entity { get; init; }

    /// <summary>A reference field of <see cref="Entity"/> that points at the entity holding the aggregate field.</summary>
    public required string Reference { get; init; }

    /// <summary><c>count</c> (default) or <c>sum</c>.</summary>
    public string Function { get; init; } = "count";

    /// <summary>For <c>sum</c>: the numeric field of <see cref="Entity"/> that is added up.</summary>
    public string? Field { get; init; }

    /// <summary>Conditions on the counted records, all of which must hold (e.g. <c>status ne closed</c>).</summary>
    public IReadOnlyList<AggregateCondition> Where { get; init; } = [];
}
