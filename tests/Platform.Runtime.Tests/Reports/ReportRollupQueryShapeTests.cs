using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Hosting;
using Platform.Templates;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// A rollup query's shape: the names it is made of (app, report, components) and its day bounds are literals, so without viewer
/// parameters it has no parameters at all and its prepared plan is reused; a viewer's value stays a parameter. And the
/// dashboard's parallelism setting.
/// </summary>
public sealed class ReportRollupQueryShapeTests
{
    private const string Package = """
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "shape_app", "name": "形状" },
          "entities": [{
            "key": "ticket", "label": "工单", "version": 1,
            "fields": [
              { "key": "region", "type": "select", "label": "区域", "indexed": true, "options": [{ "value": "east", "label": "华东" }, { "value": "west", "label": "西部" }] },
              { "key": "amount", "type": "money", "label": "费用", "indexed": true }
            ],
            "form": { "sections": [{ "key": "basic", "title": "工单", "fields": ["region", "amount"] }] }
          }],
          "reports": [{
            "key": "by_month", "name": "按月", "entity": "ticket",
            "dimensions": [{ "key": "month", "field": "createdAt", "bucket": "month" }],
            "measures": [{ "key": "tickets", "kind": "count" }, { "key": "amount", "kind": "sum", "field": "amount" }, { "key": "avg_amount", "kind": "avg", "field": "amount" }],
            "filters": [{ "field": "createdAt", "op": "within", "value": "12m" }],
            "parameters": [{ "key": "region", "field": "region", "op": "eq" }],
            "rollup": true
          }]
        }
        """;

    [Fact]
    public void RollupQuery_HasNoParameters_WithoutViewerParameters_AndOneForAViewersValue()
    {
        var app = PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(Package), out _)!) with { Version = 1 };
        var report = app.FindReport("by_month")!;
        var now = new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

        var plain = ReportRollups.CompileQuery(app, report, ReportRequest.Empty(now))!;
        Assert.Empty(plain.Parameters);
        Assert.Contains("report_key = 'by_month'", plain.Sql, StringComparison.Ordinal);
        Assert.Contains("r.measure = 'amount.sum'", plain.Sql, StringComparison.Ordinal);
        Assert.Matches(@"month >= '\d{4}-\d{2}-\d{2}'::date", plain.Sql);

        var filtered = ReportRollups.CompileQuery(app, report, new ReportRequest(new Dictionary<string, string> { ["region"] = "east'; drop table records; --" }, [], now))!;
        Assert.Equal("east'; drop table records; --", Assert.Single(filtered.Parameters).Value);
        Assert.DoesNotContain("drop table", filtered.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData(0, -1)]
    [InlineData(1, 1)]
    [InlineData(6, 6)]
    public void DashboardParallelism_IsTheSetting_OrTheDefault(int? setting, int expected)
    {
        var service = new ReportService(null!, null!, null!, TimeProvider.System, new PlatformSettings { Reports = new ReportSettings { DashboardParallelism = setting } });
        Assert.Equal(expected < 0 ? ReportService.DefaultDashboardParallelism : expected, service.DashboardParallelism);
        Assert.Equal(Math.Max(4, Environment.ProcessorCount), ReportService.DefaultDashboardParallelism);
    }
}
