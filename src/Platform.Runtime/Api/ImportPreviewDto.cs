using Platform.Runtime.Execution;

namespace Platform.Runtime.Api;

/// <summary>
/// <c>POST /api/apps/import/preview</c>: what the package would create (entities with field counts, flows, rules,
/// reports, dashboards, public forms, seed rows per entity, print templates) and the installed version it would replace.
/// </summary>
public sealed record ImportPreviewDto(
    string AppKey,
    string Name,
    int? InstalledVersion,
    IReadOnlyList<ImportPreviewDto.Item> Entities,
    IReadOnlyList<ImportPreviewDto.Item> Flows,
    IReadOnlyList<ImportPreviewDto.Item> Rules,
    IReadOnlyList<ImportPreviewDto.Item> Reports,
    IReadOnlyList<ImportPreviewDto.Item> Dashboards,
    IReadOnlyList<ImportPreviewDto.Item> PublicForms,
    IReadOnlyDictionary<string, int> SeedRows,
    IReadOnlyList<ImportPreviewDto.Item> PrintTemplates)
{
    /// <summary>One definition: key, name and, for entities, the number of fields.</summary>
    public sealed record Item(string Key, string Name, int? Fields = null);

    public static ImportPreviewDto From(ImportPreview preview)
    {
        var app = preview.App!;
        return new ImportPreviewDto(
            app.Key,
            app.Name,
            preview.InstalledVersion,
            app.Entities.Select(e => new Item(e.Key, e.Label, e.Fields.Count)).ToList(),
            app.Flows.Select(f => new Item(f.Key, f.Name)).ToList(),
            app.Rules.Select(r => new Item(r.Key, r.Name)).ToList(),
            app.Reports.Select(r => new Item(r.Key, r.Name)).ToList(),
            app.Dashboards.Select(d => new Item(d.Key, d.Name)).ToList(),
            app.PublicForms.Select(p => new Item(p.Key, p.Title)).ToList(),
            preview.SeedRows ?? new Dictionary<string, int>(),
            app.PrintTemplates.Select(t => new Item(t.Key, t.Label)).ToList());
    }
}
