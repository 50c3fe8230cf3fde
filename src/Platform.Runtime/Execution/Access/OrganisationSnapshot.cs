using Platform.Core.Access;

namespace Platform.Runtime.Execution.Access;

/// <summary>Users (roles, department, external) and the department tree at one moment; makes a <see cref="Caller"/> per user.</summary>
public sealed class OrganisationSnapshot
{
    private readonly Dictionary<string, (HashSet<string> Roles, string? Department, bool External)> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> parents = new(StringComparer.Ordinal);

    public OrganisationSnapshot(IEnumerable<(string Key, string? Parent)> departments, IEnumerable<(string UserName, string[] Roles, string? Department, bool External)> activeUsers)
    {
        foreach (var (key, parent) in departments)
        {
            parents[key] = parent;
            if (parent is not null)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(key);
            }
        }

        foreach (var (name, roles, department, external) in activeUsers)
        {
            users[name] = ([.. roles], department, external);
        }
    }

    /// <summary>The department and all below it (cycles in bad data are cut).</summary>
    public IReadOnlySet<string> Below(string? department)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (department is null)
        {
            return result;
        }

        var queue = new Queue<string>([department]);
        while (queue.Count > 0)
        {
            var key = queue.Dequeue();
            if (result.Add(key) && children.TryGetValue(key, out var list))
            {
                list.ForEach(queue.Enqueue);
            }
        }

        return result;
    }

    /// <summary>Whether the department exists.</summary>
    public bool HasDepartment(string key) => parents.ContainsKey(key);

    /// <summary>
    /// The caller for a signed-in user: roles and department from the users table (so changes apply without a new
    /// sign-in); a user not in it (deactivated or removed since signing in) holds no role at all.
    /// </summary>
    public Caller CallerOf(string userName) =>
        users.TryGetValue(userName, out var user)
            ? new Caller { UserName = userName, Roles = user.Roles, Department = user.Department, DepartmentTree = Below(user.Department), IsExternal = user.External }
            : new Caller { UserName = userName, IsExternal = true };
}
