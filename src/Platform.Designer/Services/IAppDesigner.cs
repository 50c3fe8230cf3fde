using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>
/// What the app list and the designer screens need: create and import apps, read published definitions, keep entity drafts
/// and publish them. The runtime implements it on the same importer, draft store and catalog as the HTTP API.
/// </summary>
public interface IAppDesigner
{
    /// <summary>The published app, or null.</summary>
    Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct);

    /// <summary>Templates a new app may start from.</summary>
    Task<IReadOnlyList<TemplateCard>> ListTemplatesAsync(CancellationToken ct);

    /// <summary>Creates a blank app or a copy of a template; problems name the request's fields (<c>key</c>, <c>name</c>).</summary>
    Task<DesignOutcome> CreateAppAsync(NewAppRequest request, CancellationToken ct);

    /// <summary>What importing the package JSON would create, or every problem at its JSON path; writes nothing.</summary>
    Task<ImportPreviewView> PreviewImportAsync(string packageJson, CancellationToken ct);

    /// <summary>Imports the package JSON (a new app, or a new version of an installed one).</summary>
    Task<DesignOutcome> ImportAsync(string packageJson, CancellationToken ct);

    /// <summary>Keys of the app's drafts of one kind (entity, flow, rule, report, dashboard).</summary>
    Task<IReadOnlyList<string>> ListDraftsAsync(string app, string kind, CancellationToken ct);

    /// <summary>The saved draft of an entity, or null when there is none (or it no longer reads as an entity).</summary>
    Task<EntityDraft?> GetEntityDraftAsync(string app, string entity, CancellationToken ct);

    Task<EntityDraft> SaveEntityDraftAsync(string app, EntityDefinition entity, CancellationToken ct);

    Task DeleteEntityDraftAsync(string app, string entity, CancellationToken ct);

    /// <summary>Publishes the entity as a new app version; problems are relative to the entity (<c>$.fields[2].key</c>).</summary>
    Task<DesignOutcome> PublishEntityAsync(string app, EntityDefinition entity, CancellationToken ct);
}
