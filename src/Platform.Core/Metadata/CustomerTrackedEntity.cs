namespace Platform.Core.Metadata;

/// <summary>One entity of the customer portal: how its records are found for a phone and what the customer sees of them.</summary>
public sealed record CustomerTrackedEntity
{
    public required string Entity { get; init; }

    /// <summary>The number the customer knows the record by (an auto-number); default: the public form's tracking field.</summary>
    public string? NumberField { get; init; }

    /// <summary>The phone the record belongs to; default: the public form's phone field.</summary>
    public string? PhoneField { get; init; }

    /// <summary>A select field whose option label names the kind of request (退货, 维修 …); optional.</summary>
    public string? TypeField { get; init; }

    /// <summary>
    /// What the request is about, shown on its card in the list (e.g. the product): a plain field, or a reference (or a
    /// lookup holding one) shown by the referenced record's display label only; optional.
    /// </summary>
    public string? SummaryField { get; init; }

    /// <summary>The fields shown to the customer besides number, type and status; plain values only (no references, users or files).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}
