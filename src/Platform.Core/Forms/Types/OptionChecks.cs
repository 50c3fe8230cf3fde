using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

internal static class OptionChecks
{
    public static bool IsOption(FieldDefinition field, string value) =>
        field.Options?.Any(o => string.Equals(o.Value, value, StringComparison.Ordinal)) == true;

    public static IEnumerable<(string Path, string Message)> Check(FieldDefinition field)
    {
        if (field.Options is not { Count: > 0 })
        {
            yield return ("options", "选择字段至少需要一个选项");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < field.Options.Count; i++)
        {
            var option = field.Options[i];
            if (string.IsNullOrWhiteSpace(option.Value))
            {
                yield return ($"options[{i}].value", "选项值不能为空");
            }
            else if (!seen.Add(option.Value))
            {
                yield return ($"options[{i}].value", $"选项值 '{option.Value}' 重复");
            }
        }
    }
}
