using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;
using Platform.Templates;

namespace Platform.Runtime.Ui;

/// <summary>The designer screens' backend: the same creator, importer, draft store and catalog as <c>/api/apps</c> and the drafts API.</summary>
public sealed class AppDesigner(
    AppCatalog catalog, AppCreator creator, AppImporter importer, TemplateLibrary templates, DraftStore drafts, TimeProvider time, AuthenticationStateProvider authentication) : IAppDesigner
{
    public async Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct) => await catalog.GetAsync(app, ct);

    public async Task<IReadOnlyList<TemplateCard>> ListTemplatesAsync(CancellationToken ct) =>
        (await templates.ListAsync(ct)).Select(t => new TemplateCard(t.Key, t.Name, t.NameEn, t.Description)).ToList();

    public async Task<DesignOutcome> CreateAppAsync(NewAppRequest request, CancellationToken ct)
    {
        var problems = new List<DefinitionProblem>();
        if (string.IsNullOrWhiteSpace(request.Key))
        {
            problems.Add(new DefinitionProblem("key", "应用标识不能为空 / the key is required"));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            problems.Add(new DefinitionProblem("name", "应用名称不能为空 / the name is required"));
        }

        if (problems.Count > 0)
        {
            return new DesignOutcome(null, 0, problems);
        }

        var result = await creator.CreateAsync(
            new NewApp(request.Key.Trim(), request.Name.Trim(), request.NameEn?.Trim(), request.Description?.Trim(), request.Template), await UserAsync(), ct);
        return Outcome(result, p => p.StartsWith("$.app.", StringComparison.Ordinal) ? p["$.app.".Length..] : p);
    }

    public async Task<ImportPreviewView> PreviewImportAsync(string packageJson, CancellationToken ct)
    {
        if (Parse(packageJson, out var problem) is not { } body)
        {
            return new ImportPreviewView(null, null, new Dictionary<string, int>(), [problem!]);
        }

        var preview = await importer.PreviewAsync(body, await UserAsync(), ct);
        return new ImportPreviewView(
            preview.App, preview.InstalledVersion, preview.SeedRows ?? new Dictionary<string, int>(), preview.Problems.Select(p => new DefinitionProblem(p.Path, p.Message)).ToList());
    }

    public async Task<DesignOutcome> ImportAsync(string packageJson, CancellationToken ct) =>
        Parse(packageJson, out var problem) is { } body
            ? Outcome(await importer.ImportAsync(body, await UserAsync(), ct), p => p)
            : new DesignOutcome(null, 0, [problem!]);

    public async Task<IReadOnlyList<string>> ListDraftsAsync(string app, string kind, CancellationToken ct) =>
        (await drafts.ListAsync(app, kind, ct)).Select(d => d.Key).ToList();

    public async Task<EntityDraft?> GetEntityDraftAsync(string app, string entity, CancellationToken ct)
    {
        if (await drafts.GetAsync(app, "entity", entity, ct) is not { } row)
        {
            return null;
        }

        try
        {
            return row.Body.Deserialize<EntityDefinition>(MetadataJson.Options) is { } definition ? new EntityDraft(definition, row.UpdatedBy, row.UpdatedAt) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task<EntityDraft> SaveEntityDraftAsync(string app, EntityDefinition entity, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToNode(entity, MetadataJson.Options)!.AsObject();
        var row = await drafts.SaveAsync(app, "entity", entity.Key, body, await UserAsync(), time.GetUtcNow(), ct);
        return new EntityDraft(entity, row.UpdatedBy, row.UpdatedAt);
    }

    public async Task DeleteEntityDraftAsync(string app, string entity, CancellationToken ct) => await drafts.DeleteAsync(app, "entity", entity, ct);

    public async Task<DesignOutcome> PublishEntityAsync(string app, EntityDefinition entity, CancellationToken ct)
    {
        var (_, version, problems) = await importer.PublishEntityAsync(app, entity, await UserAsync(), ct);
        return new DesignOutcome(app, version, problems.Select(p => new DefinitionProblem(p.Path, p.Message)).ToList());
    }

    private static DesignOutcome Outcome(ImportResult result, Func<string, string> path) =>
        new(result.AppKey, result.Version, result.Problems.Select(p => new DefinitionProblem(path(p.Path), p.Message)).ToList());

    private static JsonObject? Parse(string json, out DefinitionProblem? problem)
    {
        problem = null;
        try
        {
            if (JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = Api.JsonBody.MaxDepth }) is JsonObject body)
            {
                return body;
            }

            problem = new DefinitionProblem("$", "模板包必须是 JSON 对象 / the package must be a JSON object");
        }
        catch (JsonException e)
        {
            problem = new DefinitionProblem("$", $"不是有效的 JSON / not valid JSON: {e.Message}");
        }

        return null;
    }

    /// <summary>The designer signed in to the circuit; every write needs the designer or admin role, as the API's designer policy does.</summary>
    private async Task<string> UserAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!user.IsInRole(Security.PlatformRoles.Admin) && !user.IsInRole(Security.PlatformRoles.Designer))
        {
            throw new UnauthorizedAccessException("Designing apps needs the designer or admin role / 需要设计者或管理员角色");
        }

        return user.Identity?.Name ?? "anonymous";
    }
}
