using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Designer.Tests.Components.Forms;

/// <summary>The after-sales template's entities and public forms, read from samples/after-sales-app.json.</summary>
internal static class SampleApp
{
    private static readonly Lazy<AppDefinition> App = new(Load);

    public static AppDefinition Definition => App.Value;

    public static EntityDefinition Entity(string key) => Definition.FindEntity(key)!;

    private static AppDefinition Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "after-sales-app.json");
            if (File.Exists(path))
            {
                var package = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                return new AppDefinition
                {
                    Key = package["app"]!["key"]!.GetValue<string>(),
                    Name = package["app"]!["name"]!.GetValue<string>(),
                    Entities = package["entities"]!.Deserialize<List<EntityDefinition>>(MetadataJson.Options)!,
                    PublicForms = package["publicForms"]!.Deserialize<List<PublicFormDefinition>>(MetadataJson.Options)!,
                };
            }
        }

        throw new FileNotFoundException("samples/after-sales-app.json not found above " + AppContext.BaseDirectory);
    }
}
