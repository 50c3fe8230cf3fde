using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Templates;
using Snapshooter.Xunit;

namespace Platform.Templates.Tests;

public sealed class PackageRoundTripTests
{
    private static string SamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "after-sales-app.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/after-sales-app.json");
    }

    private static AppDefinition ReadSample()
    {
        var package = PackageReader.Read(JsonNode.Parse(File.ReadAllText(SamplePath()))!, out var problems);
        Assert.Empty(problems);
        return PackageMapper.ToDefinition(package!);
    }

    [Fact]
    public void ToPackage_ThenToDefinition_RoundTripsTheAfterSalesApp()
    {
        var app = ReadSample();

        var exported = JsonSerializer.SerializeToNode(PackageMapper.ToPackage(app), MetadataJson.Options)!;
        var reimported = PackageMapper.ToDefinition(PackageReader.Read(exported, out var problems)!);

        Assert.Empty(problems);
        Assert.True(JsonNode.DeepEquals(
            JsonSerializer.SerializeToNode(app, MetadataJson.Options),
            JsonSerializer.SerializeToNode(reimported, MetadataJson.Options)));
    }

    [Fact]
    public void ToPackage_MatchesSnapshot_ForTheAfterSalesApp()
    {
        var exported = JsonSerializer.SerializeToNode(PackageMapper.ToPackage(ReadSample()), MetadataJson.Options)!;
        Snapshot.Match(exported.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [InlineData("""{"formatVersion": 1, "app": {"key": "a", "name": "A"}}""", "$.format")]
    [InlineData("""{"format": "platform-app", "formatVersion": 99, "app": {"key": "a", "name": "A"}}""", "$.formatVersion")]
    [InlineData("""{"format": "platform-app", "formatVersion": 1}""", "$.app")]
    [InlineData("""{"format": "platform-app", "formatVersion": 1, "app": {"key": "a", "name": "A"}, "entities": [{"key": 5}]}""", "$.entities")]
    public void Read_ReportsProblemPath_WhenPackageIsMalformed(string json, string path)
    {
        var package = PackageReader.Read(JsonNode.Parse(json)!, out var problems);
        Assert.Null(package);
        Assert.Contains(problems, p => p.Path.StartsWith(path, StringComparison.Ordinal));
    }
}
