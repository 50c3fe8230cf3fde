using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Templates;

/// <summary>Parses a package from JSON, turning every shape error into a <see cref="PackageProblem"/> with a path.</summary>
public static class PackageReader
{
    /// <summary>Reads a package; returns null with problems when the JSON is not a package this build understands.</summary>
    public static AppPackage? Read(JsonNode? json, out IReadOnlyList<PackageProblem> problems)
    {
        var list = new List<PackageProblem>();
        problems = list;
        if (json is not JsonObject root)
        {
            list.Add(new PackageProblem("$", "the package must be a JSON object / 模板包必须是 JSON 对象"));
            return null;
        }

        var format = root["format"]?.GetValueKind() == JsonValueKind.String ? root["format"]!.GetValue<string>() : null;
        if (format != AppPackage.FormatName)
        {
            list.Add(new PackageProblem("$.format", $"format must be \"{AppPackage.FormatName}\""));
        }

        var version = root["formatVersion"]?.GetValueKind() == JsonValueKind.Number ? root["formatVersion"]!.GetValue<int>() : 0;
        if (version < 1 || version > AppPackage.CurrentFormatVersion)
        {
            list.Add(new PackageProblem("$.formatVersion", $"formatVersion must be between 1 and {AppPackage.CurrentFormatVersion}"));
        }

        if (root["app"] is not JsonObject)
        {
            list.Add(new PackageProblem("$.app", "app is required: { key, name }"));
        }

        if (list.Count > 0)
        {
            return null;
        }

        try
        {
            return root.Deserialize<AppPackage>(MetadataJson.Options);
        }
        catch (JsonException e)
        {
            list.Add(new PackageProblem(e.Path ?? "$", e.Message));
            return null;
        }
    }

    /// <summary>Reads a package from text.</summary>
    public static AppPackage? Read(string json, out IReadOnlyList<PackageProblem> problems)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            problems = [new PackageProblem(e.Path ?? "$", "malformed JSON: " + e.Message)];
            return null;
        }

        return Read(node, out problems);
    }
}
