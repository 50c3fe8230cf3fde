using System.Text.Json.Nodes;
using Platform.Designer.Charts;
using Platform.Designer.Services;

namespace Platform.Designer.Tests.Charts;

public sealed class EChartOptionsTests
{
    private static SeriesView Series(string key, string? unit, params decimal[] values) =>
        new(key, key, null, values.Select((v, i) => new PointView($"2026-0{i + 1}", v, new Dictionary<string, string?>())).ToList()) { Unit = unit };

    private static WidgetView Widget(string chart, int width, params SeriesView[] series) =>
        new("w", "r", "title", chart, 0, 0, width, 4, [], [], series, null, 0, null);

    [Fact]
    public void Build_GivesEachUnitANamedAxis_WhenARateStandsBesideCounts()
    {
        var option = EChartOptions.Build(Widget("line", 8, Series("returns", "count", 30, 40), Series("orders", "count", 200, 260), Series("rate", "%", 15, 15.4m)));

        var axes = option["yAxis"]!.AsArray();
        Assert.Equal(2, axes.Count);
        Assert.Equal("数量", axes[0]!["name"]!.GetValue<string>());
        Assert.Equal("百分比", axes[1]!["name"]!.GetValue<string>());
        Assert.Equal("{value}%", axes[1]!["axisLabel"]!["formatter"]!.GetValue<string>());
        Assert.Equal([0, 0, 1], option["series"]!.AsArray().Select(s => s!["yAxisIndex"]!.GetValue<int>()));
    }

    [Fact]
    public void Build_PutsMinutesAndCountsOnTheirOwnAxes_EvenWhenTheyAreOfSimilarSize()
    {
        var option = EChartOptions.Build(Widget("bar", 6, Series("minutes", "minutes", 14, 28), Series("accepted", "count", 42, 143)));

        Assert.Equal(["分钟", "数量"], option["yAxis"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal([0, 1], option["series"]!.AsArray().Select(s => s!["yAxisIndex"]!.GetValue<int>()));
    }

    [Fact]
    public void Build_KeepsOneNamedAxis_WhenEverySeriesHasTheSameUnit()
    {
        var option = EChartOptions.Build(Widget("stacked-bar", 6, Series("a", "hours", 1, 2), Series("b", "hours", 30, 40)));

        Assert.IsType<JsonObject>(option["yAxis"]);
        Assert.Equal("小时", option["yAxis"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Build_GivesSmallFiguresTheirOwnAxis_WhenNoSeriesHasAUnit()
    {
        var option = EChartOptions.Build(Widget("line", 6, Series("rating", null, 4.2m, 4.5m), Series("amount", null, 52_000, 61_000)));

        Assert.Equal(2, option["yAxis"]!.AsArray().Count);
        Assert.Equal([0, 1], option["series"]!.AsArray().Select(s => s!["yAxisIndex"]!.GetValue<int>()));
    }

    [Fact]
    public void Build_LabelsSlicesWithThePercentOnly_WhenThePieIsNarrow()
    {
        string Label(int width) => EChartOptions.Build(Widget("pie", width, Series("count", "count", 5, 3)))["series"]![0]!["label"]!["formatter"]!.GetValue<string>();

        Assert.Equal("{d}%", Label(4));
        Assert.Equal(0, EChartOptions.Build(Widget("pie", 4, Series("count", "count", 5, 3)))["series"]![0]!["percentPrecision"]!.GetValue<int>());
        Assert.Equal("{b}\n{d}%", Label(8));
    }

    [Fact]
    public void Build_KeepsEachSeriesColour_WhenAFilterDropsOtherSeries()
    {
        static Dictionary<string, string> Colours(params string[] keys) =>
            EChartOptions.Build(Widget("stacked-bar", 6, keys.Select(k => Series(k, "hours", 1, 2)).ToArray()))["series"]!.AsArray()
                .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["itemStyle"]!["color"]!.GetValue<string>());

        var all = Colours("cs_review", "supervisor_approval", "warehouse_qc", "finance_refund", "ship_replacement");
        var some = Colours("ship_replacement", "warehouse_qc");

        Assert.Equal(all["warehouse_qc"], some["warehouse_qc"]);
        Assert.Equal(all["ship_replacement"], some["ship_replacement"]);
    }

    [Fact]
    public void ByPlace_GivesDistinctColours_WhenTheSetFitsThePalette()
    {
        var colours = ChartColors.ByPlace(["cs_review", "supervisor_approval", "warehouse_qc", "finance_refund", "ship_replacement"]);

        Assert.Equal(5, colours.Values.Distinct().Count());
        Assert.Equal(colours["warehouse_qc"], ChartColors.ByPlace(["cs_review", "supervisor_approval", "warehouse_qc"])["warehouse_qc"]);
    }

    [Fact]
    public void Build_KeepsEachSliceColour_WhenAFilterDropsOtherSlices()
    {
        static Dictionary<string, string> Colours(params string[] keys)
        {
            var points = keys.Select(k => new PointView(k, 3, new Dictionary<string, string?>()) { Key = k }).ToList();
            var option = EChartOptions.Build(Widget("pie", 6, new SeriesView("count", "count", null, points)));
            return option["series"]![0]!["data"]!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>(), d => d!["itemStyle"]!["color"]!.GetValue<string>());
        }

        var all = Colours("quality", "no_reason", "wrong_item", "damaged", "other");
        var some = Colours("damaged", "other");

        Assert.Equal(all["damaged"], some["damaged"]);
        Assert.Equal(all["other"], some["other"]);
    }

    [Fact]
    public void Build_UsesTheOptionsOwnColour_WhenMetadataGivesOne()
    {
        var points = new List<PointView>
        {
            new("质量问题", 5, new Dictionary<string, string?>()) { Key = "quality", Color = "#cf1322" },
            new("其他", 2, new Dictionary<string, string?>()) { Key = "other" },
        };

        var data = EChartOptions.Build(Widget("pie", 6, new SeriesView("count", "count", null, points)))["series"]![0]!["data"]!.AsArray();

        Assert.Equal("#cf1322", data[0]!["itemStyle"]!["color"]!.GetValue<string>());
        Assert.NotEqual("#cf1322", data[1]!["itemStyle"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public void ForOptions_GivesUncolouredOptionsFreePaletteColoursInOptionOrder_WhenSomeOptionsHaveTheirOwn()
    {
        var colours = ChartColors.ForOptions([("new", "#faad14"), ("accepted", null), ("dispatched", "#1677ff"), ("closed", null)]);

        Assert.Equal("#faad14", colours["new"]);
        Assert.Equal("#1677ff", colours["dispatched"]);
        Assert.Equal("#52c41a", colours["accepted"]);
        Assert.Equal("#f5222d", colours["closed"]);
    }
}
