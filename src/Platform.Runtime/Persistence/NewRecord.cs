using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>A validated record ready to insert, with the auto-numbers the database assigns.</summary>
public sealed record NewRecord(
    Guid Id,
    string AppKey,
    string EntityKey,
    JsonObject Data,
    int DefinitionVersion,
    DateTimeOffset At,
    string By,
    IReadOnlyList<AutoNumberSlot> AutoNumbers)
{
    /// <summary>
    /// Whether <see cref="OwnerDepartment"/> is the creator's department as the caller already knows it (the signed-in
    /// caller's, from the organisation cache); otherwise the insert looks <see cref="By"/> up in <c>users</c> itself.
    /// </summary>
    public bool OwnerDepartmentKnown { get; init; }

    /// <summary>The creator's department when <see cref="OwnerDepartmentKnown"/> (null: the creator has none).</summary>
    public string? OwnerDepartment { get; init; }
}
