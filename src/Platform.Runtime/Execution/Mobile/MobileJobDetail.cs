using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Mobile;

/// <summary>
/// The job page: the card, the configured detail fields, the fault description and the customer's photos, what was
/// filled on site so far (work photos, signature), the parts used, and the fields the step lets the assignee fill
/// (<see cref="WorkPhotosField"/> and <see cref="SignatureField"/> go with <c>POST /api/tasks/{id}/actions</c>).
/// </summary>
public sealed record MobileJobDetail(
    MobileJobCard Card,
    IReadOnlyList<MobileDetailField> Details,
    string? Description,
    IReadOnlyList<string> Photos,
    string? WorkPhotosField,
    IReadOnlyList<string> WorkPhotos,
    string SignatureField,
    IReadOnlyList<string> Signature,
    bool HasParts,
    bool CanAddParts,
    IReadOnlyList<MobilePartLine> Parts,
    IReadOnlyList<string> OtherEditable,
    IReadOnlyList<string> Required,
    int RecordVersion,
    JsonObject Data);
