using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Templates;

namespace Platform.Bench;

internal static class SampleFiles
{
    public static string RepositoryRoot
    {
        get
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }

            throw new DirectoryNotFoundException("Run the bench from inside the repository.");
        }
    }

    public static string SamplePath => Path.Combine(RepositoryRoot, "samples", "after-sales-app.json");

    public static AppDefinition LoadApp() =>
        PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(File.ReadAllText(SamplePath)), out _)!);
}
