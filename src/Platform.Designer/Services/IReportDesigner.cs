using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Designer.Services;

/// <summary>
/// What the report and dashboard designers need: the published app, a live preview of an unsaved report or
/// dashboard (validated first; problems instead of data), and publishing (problems at their paths below the
/// definition, e.g. <c>measures[0].field</c>). The runtime implements it with ReportService and AppImporter.
/// </summary>
public interface IReportDesigner
{
    Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct);

    Task<ReportPreview> PreviewReportAsync(string app, ReportDefinition report, CancellationToken ct);

    Task<IReadOnlyList<DefinitionProblem>> PublishReportAsync(string app, ReportDefinition report, CancellationToken ct);

    /// <summary>The unsaved dashboard computed under <paramref name="filters"/>, or its problems.</summary>
    Task<DashboardPreview> PreviewDashboardAsync(string app, DashboardDefinition dashboard, IReadOnlyDictionary<string, string> filters, CancellationToken ct);

    Task<IReadOnlyList<DefinitionProblem>> PublishDashboardAsync(string app, DashboardDefinition dashboard, CancellationToken ct);
}
