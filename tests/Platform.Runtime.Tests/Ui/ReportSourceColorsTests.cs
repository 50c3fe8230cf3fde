using System.Text.Json.Nodes;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Tests.Flows;
using Platform.Runtime.Ui;
using Platform.Templates;

namespace Platform.Runtime.Tests.Ui;

/// <summary>Chart colours follow their keys from metadata: options' own colours, options' places, a flow's steps.</summary>
public sealed class ReportSourceColorsTests
{
    private static readonly Platform.Core.Metadata.AppDefinition App =
        PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(File.ReadAllText(Path.Combine(RuntimeProcess.RepositoryRoot(), "samples", "after-sales-app.json")))!, out _)!);

    private static ReportPoint Point(string x) => new(x, x, 3, new Dictionary<string, string?>());

    private static Designer.Services.WidgetView Widget(string report, string chart, params ReportSeries[] series) =>
        ReportSource.Widget(new DashboardWidgetData("w", report, report, chart, 0, 0, 6, 4, new ReportData(report, report, chart, [], [], series, "sql", 1), null), App, App.FindReport(report));

    [Fact]
    public void Widget_ColoursSlicesByTheirOptions_WhenAFilterLeavesOnlySomeReasons()
    {
        var all = Widget("return_reasons", "pie", new ReportSeries("count", "count", "count", null, [Point("quality"), Point("no_reason"), Point("damaged"), Point("other")]));
        var some = Widget("return_reasons", "pie", new ReportSeries("count", "count", "count", null, [Point("other"), Point("quality")]));

        string Colour(Designer.Services.WidgetView w, string key) => w.Series[0].Points.Single(p => p.Key == key).Color!;
        Assert.Equal("#cf1322", Colour(all, "quality"));
        Assert.Equal("#d46b08", Colour(all, "damaged"));
        Assert.Equal(Colour(all, "other"), Colour(some, "other"));
        Assert.Equal(Colour(all, "quality"), Colour(some, "quality"));
        Assert.NotEqual(Colour(all, "no_reason"), Colour(all, "other"));
    }

    [Fact]
    public void Widget_ColoursStepSeriesByTheFlowsSteps_WhenAPeriodLacksSomeSteps()
    {
        var all = Widget("stage_durations", "stacked-bar", [.. new[] { "cs_review", "supervisor_approval", "warehouse_qc", "finance_refund" }.Select(k => new ReportSeries(k, k, "hours", "hours", [Point("2026-11")]))]);
        var some = Widget("stage_durations", "stacked-bar", new ReportSeries("warehouse_qc", "warehouse_qc", "hours", "hours", [Point("2026-11")]));

        Assert.Equal(4, all.Series.Select(s => s.Color).Distinct().Count());
        Assert.Equal(all.Series.Single(s => s.Key == "warehouse_qc").Color, some.Series[0].Color);
        Assert.NotNull(some.Series[0].Color);
    }
}
