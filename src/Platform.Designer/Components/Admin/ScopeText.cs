using Platform.Core.Access;
using Platform.Designer.Localization;

namespace Platform.Designer.Components.Admin;

/// <summary>Row scopes and field access as the permission matrix shows them: a name in the UI's language and a colour per width.</summary>
public static class ScopeText
{
    /// <summary>The scope a metadata name stands for (omitted = none; unknown names, refused by publishing, show as none).</summary>
    public static RowScope Parse(string? name) => RowScopes.TryParse(name, RowScope.None, out var scope) ? scope : RowScope.None;

    public static string Name(RowScope scope) => scope switch
    {
        RowScope.Own => Text.T("本人", "Own"),
        RowScope.Department => Text.T("本部门", "Department"),
        RowScope.DepartmentTree => Text.T("本部门及下级", "Department and below"),
        RowScope.All => Text.T("全部", "All"),
        _ => Text.T("无", "None"),
    };

    /// <summary>What the scope reaches, for tooltips and the legend.</summary>
    public static string Explain(RowScope scope) => scope switch
    {
        RowScope.Own => Text.T("自己创建的、被指派的或经手过流程任务的记录", "Records they created, are named in, or hold or held a flow task on"),
        RowScope.Department => Text.T("本人的，加上本部门的记录", "Their own, plus those of their department"),
        RowScope.DepartmentTree => Text.T("本人的，加上本部门及所有下级部门的记录", "Their own, plus those of their department and every department below it"),
        RowScope.All => Text.T("该实体的所有记录", "Every record of the entity"),
        _ => Text.T("没有记录", "No record"),
    };

    /// <summary>A background colour from grey (none) to green (all).</summary>
    public static string Colour(RowScope scope) => scope switch
    {
        RowScope.Own => "#e6f4ff",
        RowScope.Department => "#d6f5f0",
        RowScope.DepartmentTree => "#efe6ff",
        RowScope.All => "#d9f7be",
        _ => "#f5f5f5",
    };

    public static string FieldAccessName(string access) => access switch
    {
        "hidden" => Text.T("隐藏", "Hidden"),
        "read" => Text.T("只读", "Read-only"),
        "write" => Text.T("可写", "Writable"),
        _ => access,
    };
}
