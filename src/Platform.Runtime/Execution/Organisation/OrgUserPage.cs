namespace Platform.Runtime.Execution.Organisation;

/// <summary>One page of users and how many match in all.</summary>
public sealed record OrgUserPage(IReadOnlyList<OrgUser> Items, long Total);
