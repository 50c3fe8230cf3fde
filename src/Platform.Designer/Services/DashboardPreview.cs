using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>A dashboard computed before it is published, or the problems that stop it (paths below the dashboard).</summary>
public sealed record DashboardPreview(IReadOnlyList<DefinitionProblem> Problems, DashboardView? Dashboard);
