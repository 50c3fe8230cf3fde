namespace Platform.Designer.Services;

/// <summary>The role dialog's values (the key is fixed once created).</summary>
public sealed record AdminRoleInput(string Key, string Name, string? NameEn, string? Description, bool External);
