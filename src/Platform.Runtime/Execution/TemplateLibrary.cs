using System.Text.Json.Nodes;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution;

/// <summary>
/// The bundled templates a new app may start from: the after-sales package the host imports in local mode
/// (<c>Platform:SamplePath</c>, else <c>samples/after-sales-app.json</c> found upwards from the content root).
/// </summary>
public sealed class TemplateLibrary(PlatformSettings settings, IWebHostEnvironment environment)
{
    /// <summary>The key of the after-sales template.</summary>
    public const string AfterSales = "after-sales";

    /// <summary>The templates found on this machine as (key, name, name en, description).</summary>
    public async Task<IReadOnlyList<(string Key, string Name, string? NameEn, string? Description)>> ListAsync(CancellationToken ct)
    {
        if (await ReadAsync(AfterSales, ct) is not { } body)
        {
            return [];
        }

        var app = body["app"];
        return [(AfterSales, app?["name"]?.ToString() ?? AfterSales, app?["nameEn"]?.ToString(), app?["description"]?.ToString())];
    }

    /// <summary>A fresh copy of the template's package, or null when there is no such template.</summary>
    public async Task<JsonObject?> ReadAsync(string key, CancellationToken ct)
    {
        if (key != AfterSales || Find() is not { } path)
        {
            return null;
        }

        return JsonNode.Parse(await File.ReadAllTextAsync(path, ct)) as JsonObject;
    }

    private string? Find()
    {
        if (settings.SamplePath is { } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var start in new[] { environment.ContentRootPath, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "after-sales-app.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
