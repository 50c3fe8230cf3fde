using Microsoft.AspNetCore.Components.Authorization;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Reports;

namespace Platform.Runtime.Ui;

/// <summary>The report and dashboard designers' backend: ReportValidator, ReportService and AppImporter, as the reports and dashboards API use them.</summary>
public sealed class ReportDesigner(AppCatalog catalog, AppImporter importer, ReportService reports, TimeProvider time, AuthenticationStateProvider authentication, RecordAccess access) : IReportDesigner
{
    public async Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct) => await catalog.GetAsync(app, ct);

    public async Task<ReportPreview> PreviewReportAsync(string app, ReportDefinition report, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return new ReportPreview([new DefinitionProblem("app", $"没有应用 '{app}'")], null);
        }

        // The unsaved report reads the records: rollups belong to the published definition.
        var unsaved = report with { Rollup = false };
        var changed = definition with { Reports = definition.Reports.Where(r => r.Key != report.Key).Append(unsaved).ToList() };
        var problems = ReportValidator.ValidateReport(changed, unsaved, "$").Select(Relative).ToList();
        if (problems.Count > 0)
        {
            return new ReportPreview(problems, null);
        }

        try
        {
            var data = await reports.RunAsync(changed, unsaved, ReportRequest.Empty(time.GetUtcNow()) with
            {
                Rows = await RowsAsync(changed, ct),
                HiddenLabels = await access.HiddenLabelsAsync(changed, (await authentication.GetAuthenticationStateAsync()).User, ct),
            }, ct);
            return new ReportPreview([], ReportSource.Widget(new DashboardWidgetData("preview", report.Key, report.Name, data.Chart, 0, 0, 12, 5, data, null), changed, unsaved));
        }
        catch (ReportCompileException e)
        {
            return new ReportPreview(e.Errors.SelectMany(x => x.Value.Select(m => new DefinitionProblem(x.Key, m))).ToList(), null);
        }
    }

    public async Task<IReadOnlyList<DefinitionProblem>> PublishReportAsync(string app, ReportDefinition report, CancellationToken ct)
    {
        var (_, problems) = await importer.PublishReportAsync(app, report, await UserAsync(), ct);
        return problems.Select(p => Relative(new DefinitionProblem(p.Path, p.Message))).ToList();
    }

    public async Task<DashboardPreview> PreviewDashboardAsync(string app, DashboardDefinition dashboard, IReadOnlyDictionary<string, string> filters, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return new DashboardPreview([new DefinitionProblem("app", $"没有应用 '{app}'")], null);
        }

        var dashboards = definition.Dashboards.Where(d => d.Key != dashboard.Key).Append(dashboard).ToList();
        var at = $"$.dashboards[{dashboards.Count - 1}]";
        var problems = ReportValidator.Validate(definition with { Dashboards = dashboards })
            .Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal))
            .Select(p => new DefinitionProblem(p.Path[(at.Length + 1)..], p.Message))
            .ToList();
        if (problems.Count > 0)
        {
            return new DashboardPreview(problems, null);
        }

        var data = await reports.DashboardAsync(definition, dashboard, filters, ct, await RowsAsync(definition, ct));
        return new DashboardPreview([], ReportSource.View(definition, dashboard, data));
    }

    public async Task<IReadOnlyList<DefinitionProblem>> PublishDashboardAsync(string app, DashboardDefinition dashboard, CancellationToken ct)
    {
        var (_, problems) = await importer.PublishDashboardAsync(app, dashboard, await UserAsync(), ct);
        return problems.Select(p => Relative(new DefinitionProblem(p.Path, p.Message))).ToList();
    }

    private static DefinitionProblem Relative(DefinitionProblem p) => p with { Path = p.Path.TrimStart('$', '.') };

    /// <summary>Previews count what the designer may read, like the published reports will.</summary>
    private async Task<Func<EntityDefinition, Func<object, string>, string?>?> RowsAsync(AppDefinition app, CancellationToken ct) =>
        await access.ReportRowsAsync(app, (await authentication.GetAuthenticationStateAsync()).User, ct);

    private async Task<string> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "anonymous";
}
