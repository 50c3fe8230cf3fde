namespace Platform.Designer.Services;

/// <summary>One page of users and how many match.</summary>
public sealed record AdminUserPage(IReadOnlyList<AdminUserView> Items, long Total);
