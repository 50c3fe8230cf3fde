using Platform.Core.Access;

namespace Platform.Designer.Components.Admin;

/// <summary>One role's grant on an entity while the permission editor changes it.</summary>
public sealed class PermissionDraft
{
    public string Role { get; set; } = string.Empty;

    public bool Create { get; set; }

    public RowScope Read { get; set; }

    public RowScope Update { get; set; }

    public RowScope Delete { get; set; }

    /// <summary>Field key → hidden, read or write; fields not listed follow the grant's default.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public static PermissionDraft From(EntityPermission grant)
    {
        var draft = new PermissionDraft
        {
            Role = grant.Role, Create = grant.Create, Read = ScopeText.Parse(grant.Read), Update = ScopeText.Parse(grant.Update), Delete = ScopeText.Parse(grant.Delete),
        };
        foreach (var (field, access) in grant.Fields)
        {
            draft.Fields[field] = access;
        }

        return draft;
    }

    /// <summary>The grant as metadata: scopes of none are left out, as in the template.</summary>
    public EntityPermission ToPermission() => new()
    {
        Role = Role.Trim(),
        Create = Create,
        Read = Name(Read),
        Update = Name(Update),
        Delete = Name(Delete),
        Fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal),
    };

    private static string? Name(RowScope scope) => scope == RowScope.None ? null : RowScopes.Name(scope);
}
