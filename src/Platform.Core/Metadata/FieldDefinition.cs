using System.Text.Json.Nodes;

namespace Platform.Core.Metadata;

/// <summary>
/// One field of an entity (or of a sub-table row). <see cref="Type"/> is a stable type name from the
/// field-type registry (text, number, select, lookup, sub-table, …); the optional settings below apply
/// to the types that use them and are checked by the DefinitionValidator.
/// </summary>
public sealed record FieldDefinition
{
    public required string Key { get; init; }

    /// <summary>Field-type name registered in the FieldTypeRegistry.</summary>
    public required string Type { get; init; }

    public string? Label { get; init; }

    public string? LabelEn { get; init; }

    public string? Help { get; init; }

    public string? Placeholder { get; init; }

    public bool Required { get; init; }

    /// <summary>Expression; when true the field is required.</summary>
    public string? RequiredWhen { get; init; }

    /// <summary>Expression; when false the field is hidden and a submitted value is dropped.</summary>
    public string? VisibleWhen { get; init; }

    /// <summary>Shown but never taken from the client (set by formulas, lookups, flows or rules).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Managed by the platform (flows, rules); never accepted from the client and not shown on create.</summary>
    public bool System { get; init; }

    /// <summary>Filtered, sorted or reported on: the runtime keeps an expression index for it.</summary>
    public bool Indexed { get; init; }

    /// <summary>Value must be unique within the entity.</summary>
    public bool Unique { get; init; }

    /// <summary>Constant default value.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>Expression computing the default when no value is given.</summary>
    public string? DefaultExpression { get; init; }

    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>Expression for a lower bound computed from other fields.</summary>
    public string? MinExpression { get; init; }

    /// <summary>Expression for an upper bound computed from other fields (e.g. <c>purchased_qty</c>).</summary>
    public string? MaxExpression { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Regular expression the text must match.</summary>
    public string? Pattern { get; init; }

    public string? PatternMessage { get; init; }

    /// <summary>Decimal places kept for number and money.</summary>
    public int? Scale { get; init; }

    /// <summary>Options of select and multi-select.</summary>
    public IReadOnlyList<FieldOption>? Options { get; init; }

    /// <summary>Expression computed on the server for formula fields.</summary>
    public string? Formula { get; init; }

    /// <summary>Auto-number pattern, e.g. <c>RT{yyyyMMdd}{seq:4}</c>.</summary>
    public string? AutoNumber { get; init; }

    /// <summary>Target of reference fields.</summary>
    public ReferenceSettings? Reference { get; init; }

    /// <summary>Source of lookup fields and the fields they auto-fill.</summary>
    public LookupSettings? Lookup { get; init; }

    /// <summary>What an aggregate field counts or sums.</summary>
    public AggregateSettings? Aggregate { get; init; }

    /// <summary>Row fields of a sub-table.</summary>
    public IReadOnlyList<FieldDefinition>? Fields { get; init; }

    public int? MinRows { get; init; }

    public int? MaxRows { get; init; }

    /// <summary>Accepted files of image, video and file uploads.</summary>
    public UploadSettings? Upload { get; init; }

    /// <summary>
    /// How the input shows, among the displays its type offers (<see cref="Platform.Core.Forms.FieldType.Displays"/>):
    /// <c>rating</c> on an integer shows min…max stars instead of a number box. Storage and validation stay the type's.
    /// </summary>
    public string? Display { get; init; }
}
