namespace Platform.Runtime.Security;

/// <summary>Role and policy names the runtime itself relies on.</summary>
public static class PlatformRoles
{
    public const string Admin = "admin";

    /// <summary>Policy: apps, import/export, public forms, users.</summary>
    public const string AdminPolicy = "platform-admin";

    /// <summary>Business analysts: build and publish apps (forms, flows, rules, reports, dashboards) without the user administration of admins.</summary>
    public const string Designer = "designer";

    /// <summary>Policy: create apps and publish their definitions (admins and designers).</summary>
    public const string DesignerPolicy = "platform-designer";

    /// <summary>The authentication scheme that picks bearer or cookie per request.</summary>
    public const string Scheme = "platform";
}
