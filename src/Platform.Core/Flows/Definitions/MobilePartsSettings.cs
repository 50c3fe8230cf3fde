namespace Platform.Core.Flows.Definitions;

/// <summary>
/// Parts used on a field job, recorded as records of <see cref="Entity"/> (created through the records path, so its
/// rules run — e.g. a stock deduction): a reference to the job's record, a reference to the part, a quantity.
/// </summary>
public sealed record MobilePartsSettings
{
    /// <summary>The entity whose records are the part lines (e.g. part_usage).</summary>
    public required string Entity { get; init; }

    /// <summary>Its reference field pointing at the flow's record.</summary>
    public required string RecordField { get; init; }

    /// <summary>Its reference field pointing at the part; the engineer searches the referenced entity by its display field.</summary>
    public required string PartField { get; init; }

    /// <summary>Its integer or number field with the quantity used.</summary>
    public required string QuantityField { get; init; }

    /// <summary>Fields of the part entity shown under a part's name while picking (e.g. part_no, stock).</summary>
    public IReadOnlyList<string> PartDetails { get; init; } = [];
}
