namespace Platform.Core.Access;

/// <summary>Which records of an entity a permission reaches, from narrowest to widest.</summary>
public enum RowScope
{
    /// <summary>No record.</summary>
    None = 0,

    /// <summary>Records the user created, is named in (a user field) or holds or held a flow task on.</summary>
    Own = 1,

    /// <summary>Own records and those owned by the user's department.</summary>
    Department = 2,

    /// <summary>Own records and those owned by the user's department or any department below it.</summary>
    DepartmentTree = 3,

    /// <summary>Every record of the entity.</summary>
    All = 4,
}
