using System.Text.RegularExpressions;

namespace Platform.Runtime.Execution.Organisation;

/// <summary>The shapes of department and role keys, user names, phone numbers and e-mail addresses the administration accepts.</summary>
public static partial class OrganisationKeys
{
    public const int MaxNameLength = 100;

    public const int MaxDescriptionLength = 500;

    /// <summary>Department and role keys: lower snake case, as entity and field keys.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    public static partial Regex Key();

    /// <summary>User names: a lower-case letter, then lower-case letters, digits, <c>.</c>, <c>_</c> or <c>-</c>.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,63}$")]
    public static partial Regex UserName();

    [GeneratedRegex(@"^\+?[0-9][0-9 -]{4,19}$")]
    public static partial Regex Phone();

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")]
    public static partial Regex Email();

    public const string KeyRule = "须为小写字母开头的 snake_case（字母、数字、下划线，最长 63 位） / must match ^[a-z][a-z0-9_]{0,62}$";

    public const string UserNameRule = "须为小写字母开头，可含小写字母、数字和 . _ -（最长 64 位） / must match ^[a-z][a-z0-9_.-]{0,63}$";
}
