namespace Platform.Designer.Services;

/// <summary>
/// An open task the current user may act on, with what its dialogs need: the step's editable and required fields,
/// the earlier steps a rejection may return to, and whether it waits for an added signer.
/// </summary>
public sealed record TaskOptionView(
    Guid TaskId,
    string App,
    string Entity,
    Guid RecordId,
    string Step,
    string StepName,
    string Kind,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    IReadOnlyList<string> Editable,
    IReadOnlyList<string> Required,
    IReadOnlyList<StepChoice> ReturnTargets);
