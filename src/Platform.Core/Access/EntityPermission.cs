namespace Platform.Core.Access;

/// <summary>
/// What one role may do with an entity's records: create them, and read, update and delete them within a row
/// scope (<see cref="RowScopes"/> names), with per-field overrides (<c>hidden</c>, <c>read</c>, <c>write</c>) for
/// fields that differ from the default (writable when the role may create or update, else read-only).
/// </summary>
public sealed record EntityPermission
{
    /// <summary>The role this grants to (a role key of the organisation, e.g. <c>customer_service</c>).</summary>
    public required string Role { get; init; }

    public bool Create { get; init; }

    /// <summary>Row scope for reading; omitted means <c>none</c>.</summary>
    public string? Read { get; init; }

    /// <summary>Row scope for updating; omitted means <c>none</c>.</summary>
    public string? Update { get; init; }

    /// <summary>Row scope for deleting; omitted means <c>none</c>.</summary>
    public string? Delete { get; init; }

    /// <summary>Field key → <c>hidden</c>, <c>read</c> or <c>write</c>.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
