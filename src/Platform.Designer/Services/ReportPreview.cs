using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>A report computed before it is published: its data as a widget, or the problems that stop it (paths below the report).</summary>
public sealed record ReportPreview(IReadOnlyList<DefinitionProblem> Problems, WidgetView? Widget);
