using MudBlazor;
using Platform.Core.Metadata;

namespace Platform.Designer.Components.FormDesign;

/// <summary>
/// The form designer's palette: every field type of the registry with an icon and a name, and a new field of a type with
/// settings that already pass the type's own checks (an option for selects, a pattern for auto-numbers …).
/// </summary>
public static class FieldPalette
{
    private static readonly Dictionary<string, FieldTypeInfo> Known = new FieldTypeInfo[]
    {
        new("text", "单行文本", "Text", Icons.Material.Filled.ShortText),
        new("textarea", "多行文本", "Long text", Icons.Material.Filled.Notes),
        new("number", "数字", "Number", Icons.Material.Filled.Pin),
        new("integer", "整数", "Integer", Icons.Material.Filled.Numbers),
        new("money", "金额", "Money", Icons.Material.Filled.Payments),
        new("date", "日期", "Date", Icons.Material.Filled.Event),
        new("datetime", "日期时间", "Date & time", Icons.Material.Filled.Schedule),
        new("select", "单选", "Select", Icons.Material.Filled.RadioButtonChecked),
        new("multi-select", "多选", "Multi-select", Icons.Material.Filled.CheckBox),
        new("boolean", "是/否", "Yes/no", Icons.Material.Filled.ToggleOn),
        new("phone", "手机号", "Phone", Icons.Material.Filled.Phone),
        new("email", "邮箱", "E-mail", Icons.Material.Filled.Email),
        new("image", "图片", "Image", Icons.Material.Filled.Image),
        new("video", "视频", "Video", Icons.Material.Filled.Videocam),
        new("file", "附件", "File", Icons.Material.Filled.AttachFile),
        new("reference", "关联记录", "Reference", Icons.Material.Filled.Link),
        new("lookup", "查找带出", "Lookup", Icons.Material.Filled.ManageSearch),
        new("sub-table", "子表", "Sub-table", Icons.Material.Filled.TableRows),
        new("formula", "公式", "Formula", Icons.Material.Filled.Functions),
        new("aggregate", "汇总统计", "Aggregate", Icons.Material.Filled.Summarize),
        new("auto-number", "自动编号", "Auto-number", Icons.Material.Filled.FormatListNumbered),
        new("user", "人员", "User", Icons.Material.Filled.Person),
    }.ToDictionary(t => t.Type, StringComparer.Ordinal);

    /// <summary>The palette entries for the registered type names, in the registry's order; unknown extension types get a generic icon.</summary>
    public static IReadOnlyList<FieldTypeInfo> For(IEnumerable<string> typeNames) => typeNames.Select(Info).ToList();

    public static FieldTypeInfo Info(string type) =>
        Known.TryGetValue(type, out var info) ? info : new FieldTypeInfo(type, type, type, Icons.Material.Filled.Extension);

    /// <summary>A new field of the type under the key, labelled with the type's name.</summary>
    public static FieldDefinition NewField(string type, string key)
    {
        var field = new FieldDefinition { Key = key, Type = type, Label = Info(type).Label, LabelEn = Info(type).LabelEn };
        return type switch
        {
            "select" or "multi-select" => field with { Options = [new FieldOption("option_1", "选项 1") { LabelEn = "Option 1" }, new FieldOption("option_2", "选项 2") { LabelEn = "Option 2" }] },
            "auto-number" => field with { AutoNumber = "NO{yyyyMMdd}{seq:4}" },
            "formula" => field with { Formula = "0" },
            "sub-table" => field with { Fields = [new FieldDefinition { Key = "item", Type = "text", Label = "项目", LabelEn = "Item" }] },
            "money" => field with { Scale = 2 },
            _ => field,
        };
    }
}
