namespace Platform.Designer.Services;

/// <summary>A dashboard as listed for an app.</summary>
public sealed record DashboardCard(string Key, string Name, int Widgets);
