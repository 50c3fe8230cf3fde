using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary>
/// Base of image, video and file uploads: the value is an array of file ids returned by the files API
/// (content type and size are checked when the file is uploaded).
/// </summary>
public abstract partial class UploadFieldType : FieldType
{
    public override FieldStorage Storage => FieldStorage.Json;

    /// <summary>Files accepted when the field sets no MaxFiles.</summary>
    protected virtual int DefaultMaxFiles => 9;

    /// <summary>Content types accepted when the field sets no Accept list.</summary>
    public abstract IReadOnlyList<string> DefaultAccept { get; }

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        var items = value is JsonArray array ? array.ToList() : [value];
        var ids = new JsonArray();
        foreach (var item in items)
        {
            var id = FieldValues.AsText(item)?.Trim();
            if (id is null || !FileId().IsMatch(id))
            {
                return FieldNormalization.Fail("须为已上传文件的编号");
            }

            ids.Add(id);
        }

        var max = field.Upload?.MaxFiles ?? DefaultMaxFiles;
        if (ids.Count > max)
        {
            return FieldNormalization.Fail($"最多上传 {max} 个文件");
        }

        return FieldNormalization.Ok(ids.Count == 0 ? null : ids);
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Upload is { MaxFiles: < 1 })
        {
            yield return ("upload.maxFiles", "maxFiles 至少为 1");
        }

        if (field.Upload is { MaxSizeMb: <= 0 })
        {
            yield return ("upload.maxSizeMb", "maxSizeMb 须大于 0");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FileId();
}
