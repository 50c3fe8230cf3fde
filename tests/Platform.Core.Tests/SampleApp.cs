using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Tests;

/// <summary>The after-sales template as an <see cref="AppDefinition"/>, read straight from samples/after-sales-app.json.</summary>
internal static class SampleApp
{
    private static readonly Lazy<AppDefinition> App = new(Load);

    public static AppDefinition Definition => App.Value;

    public static EntityDefinition Entity(string key) => Definition.FindEntity(key)!;

    public static string PackagePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "after-sales-app.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("samples/after-sales-app.json not found above " + AppContext.BaseDirectory);
        }
    }

    private static AppDefinition Load()
    {
        var package = JsonNode.Parse(File.ReadAllText(PackagePath))!.AsObject();
        var info = package["app"]!;
        return new AppDefinition
        {
            Key = info["key"]!.GetValue<string>(),
            Name = info["name"]!.GetValue<string>(),
            Entities = package["entities"]!.Deserialize<List<EntityDefinition>>(MetadataJson.Options)!,
            PublicForms = package["publicForms"]!.Deserialize<List<PublicFormDefinition>>(MetadataJson.Options)!,
            Flows = package["flows"]!.Deserialize<List<Platform.Core.Flows.Definitions.FlowDefinition>>(MetadataJson.Options)!,
            Rules = package["rules"]?.Deserialize<List<Platform.Core.Rules.Definitions.RuleDefinition>>(MetadataJson.Options) ?? [],
            Reports = package["reports"]?.Deserialize<List<Platform.Core.Reports.Definitions.ReportDefinition>>(MetadataJson.Options) ?? [],
            Dashboards = package["dashboards"]?.Deserialize<List<Platform.Core.Reports.Definitions.DashboardDefinition>>(MetadataJson.Options) ?? [],
            PrintTemplates = package["printTemplates"]?.Deserialize<List<Platform.Core.Printing.PrintTemplateDefinition>>(MetadataJson.Options) ?? [],
            CustomerPortal = package["customerPortal"]?.Deserialize<CustomerPortalDefinition>(MetadataJson.Options),
        };
    }
}
