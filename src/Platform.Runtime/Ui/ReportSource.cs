using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>Feeds dashboards from the report engine: widget data as view models and drill-downs as formatted record rows.</summary>
public sealed class ReportSource(AppCatalog catalog, ReportService reports, NpgsqlDataSource dataSource, TimeProvider time) : IReportSource
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

        var data = await reports.DashboardAsync(definition!, found, filters, ct);
        var filterViews = found.Filters.Select(f =>
        {
            var options = definition!.FindEntity(f.Entity ?? string.Empty)?.FindField(f.Field ?? string.Empty)?.Options ?? [];
            return new DashboardFilterView(f.Key, f.Kind, f.Label ?? f.Key, options.Select(o => (o.Value, o.Label)).ToList());
        }).ToList();
        var widgets = data.Widgets.Select(w => new WidgetView(
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
            w.Data?.Series.Select(s => new SeriesView(s.Key, s.Name, s.Stack, s.Data.Select(p => new PointView(p.Label, Decimal(p.Value), p.Point)).ToList())).ToList() ?? [],
            w.Data?.Source,
            w.Data?.Milliseconds ?? 0,
            w.Error)).ToList();
        return new DashboardView(found.Key, found.Name, filterViews, widgets, data.Milliseconds);
    }

    public async Task<DrillView> DrillAsync(
        string app, string report, IReadOnlyDictionary<string, string?> point, string? measure, IReadOnlyDictionary<string, string> filters, int page, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct) ?? throw new InvalidOperationException($"No app '{app}'.");
        var found = definition.FindReport(report) ?? throw new InvalidOperationException($"No report '{report}'.");
        var parameters = filters.Where(f => found.Parameters.Any(p => p.Key == f.Key)).ToDictionary(f => f.Key, f => f.Value);
        var (entityKey, result) = await reports.DrillAsync(definition, found, new ReportRequest(parameters, [], time.GetUtcNow()), point, measure, page, 20, ct);
        var entity = definition.FindEntity(entityKey)!;
        var fields = entity.Fields.Where(f => !f.System && f.Type is not ("sub-table" or "image" or "video" or "file" or "textarea")).Take(DrillColumns).ToList();
        var byId = fields.Where(f => Core.Reports.ReportPaths.TargetOf(definition, entity, f) is { MatchField: null }).ToList();
        var references = await ReferenceLabelsAsync(definition, byId, result.Items, ct);
        var columns = fields.Select(f => new ColumnView(f.Key, f.Label ?? f.Key, "field")).Append(new ColumnView("createdAt", "创建时间", "field")).ToList();
        var rows = result.Items.Select(r =>
        {
            var cells = fields.ToDictionary(f => f.Key, f => byId.Contains(f) ? references.GetValueOrDefault(r.Data[f.Key]?.ToString() ?? string.Empty) ?? string.Empty : Format(f, r.Data[f.Key], references));
            cells["createdAt"] = r.CreatedAt.ToOffset(Core.Forms.ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm");
            return new DrillRow(r.Id, cells);
        }).ToList();
        var query = string.Concat(point.Select(p => $"&point.{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value ?? string.Empty)}"))
            + (measure is null ? string.Empty : $"&measure={Uri.EscapeDataString(measure)}")
            + string.Concat(parameters.Select(p => $"&{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new DrillView(entity.Key, entity.Label, columns, rows, result.Total, $"/api/apps/{app}/entities/{entity.Key}/records?drill={report}{query}");
    }

    private async Task<Dictionary<string, string>> ReferenceLabelsAsync(AppDefinition app, IReadOnlyList<FieldDefinition> fields, IReadOnlyList<StoredRecord> records, CancellationToken ct)
    {
        var ids = records.SelectMany(r => fields.Select(f => r.Data[f.Key]?.ToString()))
            .Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid Id, string Entity, string Data)>(new CommandDefinition(
            "select id, entity_key, data::text from records where id = any(@ids)", new { ids }, cancellationToken: ct));
        var labels = new Dictionary<string, string>();
        foreach (var (id, entityKey, data) in rows)
        {
            var target = app.FindEntity(entityKey);
            var json = JsonNode.Parse(data)!.AsObject();
            var display = fields.FirstOrDefault(f => f.Reference?.Entity == entityKey)?.Reference?.DisplayField
                ?? (target?.FindField("name") is not null ? "name" : target?.Fields.FirstOrDefault(f => f.Type == "text")?.Key);
            labels[id.ToString()] = display is not null && json[display] is { } v ? v.ToString() : id.ToString()[..8];
        }

        return labels;
    }

    private static string Format(FieldDefinition field, JsonNode? value, IReadOnlyDictionary<string, string> references)
    {
        if (value is null)
        {
            return string.Empty;
        }

        return field.Type switch
        {
            "select" => field.Options?.FirstOrDefault(o => o.Value == value.ToString())?.Label ?? value.ToString(),
            "multi-select" when value is JsonArray items => string.Join("、", items.Select(i => field.Options?.FirstOrDefault(o => o.Value == i?.ToString())?.Label ?? i?.ToString())),
            "boolean" => value.ToString() == "true" ? "是" : "否",
            "reference" => references.GetValueOrDefault(value.ToString()) ?? value.ToString(),
            "datetime" when DateTimeOffset.TryParse(value.ToString(), out var at) => at.ToOffset(Core.Forms.ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm"),
            _ => value.ToString(),
        };
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
