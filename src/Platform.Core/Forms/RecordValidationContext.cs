using System.Text.Json.Nodes;

namespace Platform.Core.Forms;

/// <summary>What a validation run knows besides the submitted data.</summary>
public sealed record RecordValidationContext
{
    public required DateTimeOffset Now { get; init; }

    public string? UserName { get; init; }

    /// <summary>The stored data when updating; null when creating.</summary>
    public JsonObject? Existing { get; init; }

    /// <summary>Submitted through a public form: only <see cref="AllowedFields"/> are taken from the client.</summary>
    public bool IsPublic { get; init; }

    /// <summary>Fields the client may set (a public form's fields, a flow step's editable fields); null = all.</summary>
    public IReadOnlySet<string>? AllowedFields { get; init; }

    /// <summary>System fields this caller may set all the same (a flow step's editable fields, e.g. the dispatched engineer).</summary>
    public IReadOnlySet<string>? GrantedFields { get; init; }

    /// <summary>Prefetched records for lookups and reference checks; null skips them (dry runs).</summary>
    public ILookupSource? Lookups { get; init; }
}
