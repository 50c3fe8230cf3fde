namespace Platform.Core.Access;

/// <summary>What a role may do with one field: not see it, see it, or also set it.</summary>
public enum FieldAccess
{
    Hidden = 0,
    Read = 1,
    Write = 2,
}
