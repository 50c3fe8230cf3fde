namespace Platform.Core.Metadata;

/// <summary>
/// A lookup finds one record (or one sub-table row of a record found by another lookup) and copies
/// values from it into this record's fields. Two shapes:
/// <list type="bullet">
/// <item>Record lookup: <see cref="Entity"/> + <see cref="MatchField"/> — the value typed by the user
/// (e.g. an order number) is matched against that field of the entity.</item>
/// <item>Row lookup: <see cref="Source"/> (another lookup field of this entity) + <see cref="Rows"/>
/// (a sub-table of the record it found) + <see cref="MatchField"/> (the row field holding this value).</item>
/// </list>
/// The server repeats the lookup on every save: a value with no match is an error and filled fields
/// are overwritten with the looked-up values.
/// </summary>
public sealed record LookupSettings
{
    /// <summary>Entity searched by a record lookup.</summary>
    public string? Entity { get; init; }

    /// <summary>Field of the entity (or of the row) that must equal this field's value.</summary>
    public required string MatchField { get; init; }

    /// <summary>For a row lookup: the lookup field of this entity whose record holds the rows.</summary>
    public string? Source { get; init; }

    /// <summary>For a row lookup: the sub-table field of the source record.</summary>
    public string? Rows { get; init; }

    /// <summary>Target field of this entity → source field of the found record or row.</summary>
    public IReadOnlyDictionary<string, string> Fill { get; init; } = new Dictionary<string, string>();

    /// <summary>For a row lookup: pick the only row when the source record has exactly one.</summary>
    public bool AutoSelectSingle { get; init; }
}
