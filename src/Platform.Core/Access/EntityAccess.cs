using Platform.Core.Metadata;

namespace Platform.Core.Access;

/// <summary>
/// What one caller may do with one entity, combined over their roles (the widest grant wins): a pure function of
/// the entity's <see cref="EntityDefinition.Permissions"/> and the <see cref="Caller"/>. An entity without
/// permissions is open to every internal user; administrators may do everything.
/// </summary>
public sealed class EntityAccess
{
    private readonly IReadOnlyDictionary<string, FieldAccess>? fields;
    private readonly FieldAccess defaultField;

    private EntityAccess(bool create, RowScope read, RowScope update, RowScope delete, IReadOnlyDictionary<string, FieldAccess>? fields, FieldAccess defaultField)
    {
        CanCreate = create;
        Read = read;
        Update = update;
        Delete = delete;
        this.fields = fields;
        this.defaultField = defaultField;
    }

    /// <summary>Everything, every record, every field.</summary>
    public static EntityAccess Full { get; } = new(true, RowScope.All, RowScope.All, RowScope.All, null, FieldAccess.Write);

    /// <summary>Nothing at all.</summary>
    public static EntityAccess Nothing { get; } = new(false, RowScope.None, RowScope.None, RowScope.None, null, FieldAccess.Hidden);

    public bool CanCreate { get; }

    public RowScope Read { get; }

    public RowScope Update { get; }

    public RowScope Delete { get; }

    /// <summary>Every record, every field, all operations: no filtering needed.</summary>
    public bool IsFull => CanCreate && Read == RowScope.All && Update == RowScope.All && Delete == RowScope.All && fields is null && defaultField == FieldAccess.Write;

    /// <summary>What the caller may do with a field (a key of the entity).</summary>
    public FieldAccess Field(string key) => fields is not null && fields.TryGetValue(key, out var access) ? access : defaultField;

    /// <summary>Fields the caller may not see (to be removed from every answer).</summary>
    public IEnumerable<string> HiddenFields(EntityDefinition entity) => entity.Fields.Where(f => Field(f.Key) == FieldAccess.Hidden).Select(f => f.Key);

    /// <summary>Combines the caller's grants on the entity.</summary>
    public static EntityAccess For(EntityDefinition entity, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return Full;
        }

        if (entity.Permissions is null)
        {
            return caller.IsExternal ? Nothing : Full;
        }

        var grants = entity.Permissions.Where(p => caller.Roles.Contains(p.Role)).ToList();
        if (grants.Count == 0)
        {
            return Nothing;
        }

        var create = grants.Any(g => g.Create);
        var read = grants.Max(g => Scope(g.Read));
        var update = grants.Max(g => Scope(g.Update));
        var delete = grants.Max(g => Scope(g.Delete));
        var writes = create || update > RowScope.None;
        var defaultField = writes ? FieldAccess.Write : FieldAccess.Read;
        Dictionary<string, FieldAccess>? fields = null;
        foreach (var field in entity.Fields)
        {
            // The widest grant wins: a field hidden for one role stays visible when another role shows it.
            var access = grants.Max(g => FieldOf(g, field.Key, g.Create || Scope(g.Update) > RowScope.None));
            if (access != defaultField)
            {
                (fields ??= new Dictionary<string, FieldAccess>(StringComparer.Ordinal))[field.Key] = access;
            }
        }

        return new EntityAccess(create, read, update, delete, fields, defaultField);
    }

    private static RowScope Scope(string? name) => RowScopes.TryParse(name, RowScope.None, out var scope) ? scope : RowScope.None;

    private static FieldAccess FieldOf(EntityPermission grant, string key, bool writes)
    {
        var fallback = writes ? FieldAccess.Write : FieldAccess.Read;
        if (!grant.Fields.TryGetValue(key, out var name))
        {
            return fallback;
        }

        var access = name switch
        {
            "hidden" => FieldAccess.Hidden,
            "read" => FieldAccess.Read,
            "write" => FieldAccess.Write,
            _ => FieldAccess.Hidden,
        };

        // A role that may not write at all cannot be given a writable field by an override.
        return access == FieldAccess.Write && !writes ? FieldAccess.Read : access;
    }
}
