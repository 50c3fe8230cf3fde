namespace Platform.Runtime.Execution.Organisation;

/// <summary>Checks for the display names of departments and roles.</summary>
internal static class Names
{
    public static string Required(string? value, string field, Errors errors)
    {
        var name = value?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(field, "请输入名称 / the name is required");
        }
        else if (name.Length > OrganisationKeys.MaxNameLength)
        {
            errors.Add(field, $"最多 {OrganisationKeys.MaxNameLength} 个字符 / at most {OrganisationKeys.MaxNameLength} characters");
        }

        return name;
    }

    /// <summary>Empty is null (no such name).</summary>
    public static string? Optional(string? value, string field, Errors errors, int maxLength = OrganisationKeys.MaxNameLength)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Length > maxLength)
        {
            errors.Add(field, $"最多 {maxLength} 个字符 / at most {maxLength} characters");
        }

        return name;
    }
}
