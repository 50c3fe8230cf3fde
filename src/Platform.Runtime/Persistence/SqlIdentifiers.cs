using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Keys from validated metadata are the only names ever put into SQL text; this is the last guard that
/// they are plain snake_case, and it names the per-field indexes.
/// </summary>
public static partial class SqlIdentifiers
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex KeyPattern();

    /// <summary>Returns the key as a SQL string literal, or throws when it is not a metadata key.</summary>
    public static string Literal(string key)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw new ArgumentException($"'{key}' is not a valid metadata key.", nameof(key));
        }

        return "'" + key + "'";
    }

    /// <summary>Returns the name as a quoted SQL identifier, or throws when it is not a metadata key.</summary>
    public static string Name(string name) =>
        KeyPattern().IsMatch(name) ? "\"" + name + "\"" : throw new ArgumentException($"'{name}' is not a valid metadata key.", nameof(name));

    /// <summary>Deterministic index name (≤ 63 chars) for a field of an entity.</summary>
    public static string IndexName(string prefix, string app, string entity, string field)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{app}.{entity}.{field}")))[..10];
        var name = $"{prefix}_{entity}_{field}";
        if (name.Length > 50)
        {
            name = name[..50];
        }

        return $"{name}_{hash}";
    }
}
