using Platform.Core.Metadata;
using Platform.Core.Printing;

namespace Platform.Designer.Services;

/// <summary>
/// What the print template designer needs: the published app, a live preview of an unsaved template on one of the
/// entity's records (the print page, or the template's problems), and publishing (problems at their paths below the
/// template, e.g. <c>html</c>). The runtime implements it with PrintService and AppImporter, as the print API.
/// </summary>
public interface IPrintDesigner
{
    Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct);

    /// <summary>The print page of <paramref name="recordId"/> (else the entity's newest record) with the unsaved template.</summary>
    Task<PrintPreview> PreviewAsync(string app, PrintTemplateDefinition template, Guid? recordId, CancellationToken ct);

    Task<IReadOnlyList<DefinitionProblem>> PublishAsync(string app, PrintTemplateDefinition template, CancellationToken ct);
}
