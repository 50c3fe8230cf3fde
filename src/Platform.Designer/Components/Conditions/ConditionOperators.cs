using Platform.Core.Metadata;
using Platform.Core.Rules;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Conditions;

/// <summary>Which of <see cref="ConditionCompiler.Operators"/> make sense for a field type, and their names.</summary>
public static class ConditionOperators
{
    private static readonly string[] TextOps = ["eq", "ne", "contains", "notContains", "startsWith", "in", "notIn", "empty", "notEmpty"];
    private static readonly string[] NumberOps = ["eq", "ne", "gt", "ge", "lt", "le", "in", "notIn", "empty", "notEmpty"];
    private static readonly string[] DateOps = ["eq", "ne", "gt", "ge", "lt", "le", "withinDays", "olderThanDays", "empty", "notEmpty"];
    private static readonly string[] BooleanOps = ["eq", "ne", "empty", "notEmpty"];
    private static readonly string[] SelectOps = ["eq", "ne", "in", "notIn", "empty", "notEmpty"];
    private static readonly string[] ListOps = ["contains", "notContains", "empty", "notEmpty"];
    private static readonly string[] FileOps = ["empty", "notEmpty"];

    /// <summary>How a field's value is edited: text, number, date, boolean, select, multi (multi-select) or none.</summary>
    public static string KindOf(FieldDefinition? field) => field?.Type switch
    {
        "number" or "integer" or "money" or "aggregate" => "number",
        "formula" when field.Scale is not null => "number",
        "date" or "datetime" => "date",
        "boolean" => "boolean",
        "select" => "select",
        "multi-select" => "multi",
        "image" or "video" or "file" or "sub-table" => "none",
        _ => "text",
    };

    public static IReadOnlyList<string> For(FieldDefinition? field) => KindOf(field) switch
    {
        "number" => NumberOps,
        "date" => DateOps,
        "boolean" => BooleanOps,
        "select" => SelectOps,
        "multi" => ListOps,
        "none" => FileOps,
        _ => TextOps,
    };

    /// <summary>True when the operator compares with no value.</summary>
    public static bool TakesNoValue(string op) => op is "empty" or "notEmpty";

    /// <summary>True when the operator takes a list of values.</summary>
    public static bool TakesList(string op) => op is "in" or "notIn";

    /// <summary>True when the operator takes a number of days.</summary>
    public static bool TakesDays(string op) => op is "withinDays" or "olderThanDays";

    public static string Name(string op) => op switch
    {
        "eq" => T("等于", "equals"),
        "ne" => T("不等于", "not equal"),
        "gt" => T("大于", "greater than"),
        "ge" => T("大于等于", "at least"),
        "lt" => T("小于", "less than"),
        "le" => T("小于等于", "at most"),
        "contains" => T("包含", "contains"),
        "notContains" => T("不包含", "does not contain"),
        "in" => T("属于", "is one of"),
        "notIn" => T("不属于", "is none of"),
        "empty" => T("为空", "is empty"),
        "notEmpty" => T("不为空", "is not empty"),
        "startsWith" => T("开头是", "starts with"),
        "withinDays" => T("在最近 N 天内", "within the last N days"),
        "olderThanDays" => T("早于 N 天前", "more than N days ago"),
        _ => op,
    };
}
