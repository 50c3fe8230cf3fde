using Npgsql;
using Platform.Designer.Localization;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Execution.Reports;

namespace Platform.Runtime.Ui;

/// <summary>Feeds dashboards from the report engine: widget data as view models and drill-downs as formatted record rows.</summary>
public sealed class ReportSource(AppCatalog catalog, ReportService reports, NpgsqlDataSource dataSource, TimeProvider time, RecordAccess access, CurrentUser user) : IReportSource
{
    private const int DrillColumns = 7;

    public async Task<IReadOnlyList<DashboardCard>> ListDashboardsAsync(string app, CancellationToken ct) =>
        (await catalog.GetAsync(app, ct))?.Dashboards.Select(d => new DashboardCard(d.Key, d.Name, d.Widgets.Count)).ToList() ?? [];

    public async Task<DashboardView?> DashboardAsync(string app, string dashboard, IReadOnlyDictionary<string, string> filters, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var found = definition?.FindDashboard(dashboard);
        if (found is null)
        {
            return null;
        }

        var principal = await user.PrincipalAsync();
        var data = await reports.DashboardAsync(
            definition!, found, filters, ct, await access.ReportRowsAsync(definition!, principal, ct), await access.HiddenLabelsAsync(definition!, principal, ct));
        return View(definition!, found, data);
    }

    /// <summary>A computed dashboard as the pages show it (also for the dashboard designer's unsaved dashboards).</summary>
    internal static DashboardView View(Platform.Core.Metadata.AppDefinition definition, Platform.Core.Reports.Definitions.DashboardDefinition found, DashboardData data)
    {
        var filterViews = found.Filters.Select(f =>
        {
            var options = definition.FindEntity(f.Entity ?? string.Empty)?.FindField(f.Field ?? string.Empty)?.Options ?? [];
            return new DashboardFilterView(f.Key, f.Kind, Text.Label(f.Label, f.LabelEn, f.Key), options.Select(o => (o.Value, Text.Label(o.Label, o.LabelEn, o.Value))).ToList());
        }).ToList();
        return new DashboardView(
            found.Key, Text.Label(found.Name, found.NameEn, found.Key), filterViews, data.Widgets.Select(w => Widget(w, definition, definition.FindReport(w.Report))).ToList(), data.Milliseconds);
    }

    /// <summary>One widget's data as a view (also for the report designer's preview).</summary>
    internal static WidgetView Widget(DashboardWidgetData w, Platform.Core.Metadata.AppDefinition app, Platform.Core.Reports.Definitions.ReportDefinition? report)
    {
        // Series of two dimensions are the second dimension's values, slices the first's: their options' colours follow them.
        var firstColors = OptionColors(app, report, 0);
        // Without a second dimension series are measures, a set the report fixes.
        var secondColors = report?.Dimensions.Count == 2 ? OptionColors(app, report, 1) : report is null ? null : Platform.Designer.Charts.ChartColors.ByPlace(report.Measures.Select(m => m.Key));
        return Widget(w, app, report, firstColors, secondColors);
    }

    private static WidgetView Widget(
        DashboardWidgetData w,
        Platform.Core.Metadata.AppDefinition app,
        Platform.Core.Reports.Definitions.ReportDefinition? report,
        IReadOnlyDictionary<string, string>? firstColors,
        IReadOnlyDictionary<string, string>? secondColors) => new(
        w.Key,
        w.Report,
        w.Title,
        w.Chart,
        w.X,
        w.Y,
        w.W,
        w.H,
        w.Data?.Columns.Select(c => new ColumnView(c.Key, c.Label, c.Role)).ToList() ?? [],
        w.Data?.Rows.Select(r => (IReadOnlyDictionary<string, object?>)r).ToList() ?? [],
        w.Data?.Series.Select(s => new SeriesView(s.Key, s.Name, s.Stack, s.Data.Select(p => new PointView(p.Label, Decimal(p.Value), p.Point)
        {
            Key = p.X,
            Color = p.X is not null && firstColors?.GetValueOrDefault(p.X) is { } color ? color : null,
        }).ToList())
        {
            Unit = report is null ? null : Platform.Core.Reports.ReportUnits.Of(app, report, s.Measure),
            Color = secondColors?.GetValueOrDefault(s.Key),
        }).ToList() ?? [],
        w.Data?.Source,
        w.Data?.Milliseconds ?? 0,
        w.Error)
    {
        Parameters = report?.Parameters.Select(p => p.Key).ToList() ?? [],
    };

    /// <summary>The colours of a select dimension's options, or null when the dimension is no select field.</summary>
    private static IReadOnlyDictionary<string, string>? OptionColors(Platform.Core.Metadata.AppDefinition app, Platform.Core.Reports.Definitions.ReportDefinition? report, int index)
    {
        if (report is null || report.Dimensions.Count <= index || Platform.Core.Reports.ReportValidator.RootOf(app, report) is not { } root)
        {
            return null;
        }

        var path = Platform.Core.Reports.ReportPaths.Resolve(app, root, report.Dimensions[index].Field, report.Flow is not null, out _);
        if (path?.Field?.Options is { Count: > 0 } options)
        {
            return Platform.Designer.Charts.ChartColors.ForOptions(options.Select(o => (o.Value, o.Color)));
        }

        // A flow's steps are a fixed set too: a step keeps its colour in every chart of that flow.
        return path is { System: "step" } && report.Flow is { } flow && app.FindFlow(flow) is { } found
            ? Platform.Designer.Charts.ChartColors.ByPlace(found.Steps.Select(s => s.Key))
            : null;
    }

    public async Task<DrillView> DrillAsync(
        string app, string report, IReadOnlyDictionary<string, string?> point, string? measure, IReadOnlyDictionary<string, string> filters, int page, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct) ?? throw new InvalidOperationException($"No app '{app}'.");
        var found = definition.FindReport(report) ?? throw new InvalidOperationException($"No report '{report}'.");
        var parameters = filters.Where(f => found.Parameters.Any(p => p.Key == f.Key)).ToDictionary(f => f.Key, f => f.Value);
        var (entityKey, result) = await reports.DrillAsync(definition, found, new ReportRequest(parameters, [], time.GetUtcNow()) { Rows = await access.ReportRowsAsync(definition, await user.PrincipalAsync(), ct) }, point, measure, page, 20, ct);
        var entity = (await access.ForAsync(definition.FindEntity(entityKey)!, await user.PrincipalAsync(), ct)).VisibleEntity;
        var fields = entity.Fields.Where(f => !f.System && f.Type is not ("sub-table" or "image" or "video" or "file" or "textarea")).Take(DrillColumns).ToList();

        // The same cells as an export shows: option labels, 是/否, referenced records and users by name.
        var plans = ExportFieldPlan.For(definition, fields);
        var lookups = new ExportLookups(definition.Key, await access.HiddenLabelsAsync(definition, await user.PrincipalAsync(), ct));
        foreach (var record in result.Items)
        {
            foreach (var plan in plans)
            {
                ExportCells.Collect(plan, record.Data[plan.Key], lookups);
            }
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await lookups.ResolveAsync(connection, null, ct);
        }

        var columns = plans.Select(p => new ColumnView(p.Key, p.Label, "field")).Append(new ColumnView("createdAt", "创建时间", "field")).ToList();
        var rows = result.Items.Select(r =>
        {
            var cells = plans.ToDictionary(p => p.Key, p => Convert.ToString(ExportCells.Format(p, r.Data[p.Key], lookups), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            cells["createdAt"] = ExportCells.Moment(r.CreatedAt);
            return new DrillRow(r.Id, cells);
        }).ToList();
        var query = string.Concat(point.Select(p => $"&point.{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value ?? string.Empty)}"))
            + (measure is null ? string.Empty : $"&measure={Uri.EscapeDataString(measure)}")
            + string.Concat(parameters.Select(p => $"&{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new DrillView(entity.Key, entity.Label, columns, rows, result.Total, $"/api/apps/{app}/entities/{entity.Key}/records?drill={report}{query}");
    }

    private static decimal? Decimal(object? value) => value switch
    {
        null => null,
        decimal d => d,
        long l => l,
        int i => i,
        double f => (decimal)f,
        string s when decimal.TryParse(s, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
