namespace Platform.Core.Flows.Runtime;

/// <summary>An in-memory directory: user name → roles and department.</summary>
public sealed class DictionaryFlowDirectory : IFlowDirectory
{
    private readonly Dictionary<string, List<string>> byRole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> byDepartment = new(StringComparer.Ordinal);

    public DictionaryFlowDirectory(IEnumerable<(string User, IEnumerable<string> Roles, string? Department)> users)
    {
        foreach (var (user, roles, department) in users)
        {
            foreach (var role in roles)
            {
                Add(byRole, role, user);
            }

            if (department is not null)
            {
                Add(byDepartment, department, user);
            }
        }
    }

    public static DictionaryFlowDirectory Empty { get; } = new([]);

    public IReadOnlyList<string> UsersInRole(string role) => byRole.TryGetValue(role, out var list) ? list : [];

    public IReadOnlyList<string> UsersInDepartment(string department) => byDepartment.TryGetValue(department, out var list) ? list : [];

    private static void Add(Dictionary<string, List<string>> map, string key, string user)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(user))
        {
            list.Add(user);
        }
    }
}
