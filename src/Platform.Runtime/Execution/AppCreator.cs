using System.Text.Json.Nodes;
using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>
/// Creates an app, blank or from a bundled template with a key and name of its own, through the importer (same validation,
/// one transaction). A key that is already installed is a problem on <c>$.app.key</c>: creating never replaces an app.
/// </summary>
public sealed class AppCreator(AppImporter importer, TemplateLibrary templates)
{
    public async Task<ImportResult> CreateAsync(NewApp request, string by, CancellationToken ct)
    {
        JsonObject body;
        if (request.Template is { Length: > 0 } template)
        {
            if (await templates.ReadAsync(template, ct) is not { } package)
            {
                return new ImportResult(null, 0, false, 0, [new PackageProblem("$.template", $"没有模板 '{template}' / no such template")]);
            }

            body = package;
            var app = body["app"] as JsonObject ?? [];
            body["app"] = app;
            if (request.Key is { Length: > 0 } key)
            {
                app["key"] = key;
            }

            if (request.Name is { Length: > 0 } name)
            {
                app["name"] = name;
            }

            if (request.NameEn is { Length: > 0 } nameEn)
            {
                app["nameEn"] = nameEn;
            }

            if (request.Description is { Length: > 0 } description)
            {
                app["description"] = description;
            }
        }
        else
        {
            var app = new JsonObject { ["key"] = request.Key ?? string.Empty, ["name"] = request.Name ?? string.Empty };
            if (!string.IsNullOrWhiteSpace(request.NameEn))
            {
                app["nameEn"] = request.NameEn;
            }

            if (!string.IsNullOrWhiteSpace(request.Description))
            {
                app["description"] = request.Description;
            }

            body = new JsonObject { ["format"] = AppPackage.FormatName, ["formatVersion"] = AppPackage.CurrentFormatVersion, ["app"] = app };
        }

        return await importer.ImportAsync(body, by, ct, createOnly: true);
    }
}
