using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>
/// A field job's page: the card, the detail fields, the fault description and the customer's photos, the work photos
/// and signature filled so far (file ids, in the step's <see cref="WorkPhotosField"/> and <see cref="SignatureField"/>),
/// the parts used, and the step's other editable fields (filled with the completion) with the record's data.
/// </summary>
public sealed record MobileJobView(
    MobileJobCardView Card,
    IReadOnlyList<MobileFieldView> Details,
    string? Description,
    IReadOnlyList<string> Photos,
    string? WorkPhotosField,
    IReadOnlyList<string> WorkPhotos,
    int MaxWorkPhotos,
    string SignatureField,
    IReadOnlyList<string> Signature,
    bool HasParts,
    bool CanAddParts,
    IReadOnlyList<MobilePartLineView> Parts,
    IReadOnlyList<string> OtherEditable,
    IReadOnlyList<string> Required,
    JsonObject Data);
