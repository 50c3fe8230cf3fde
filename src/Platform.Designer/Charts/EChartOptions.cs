using System.Text.Json.Nodes;
using Platform.Designer.Services;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Charts;

/// <summary>
/// Builds the echarts option of a widget from its series: line, bar and stacked bar over the first dimension's
/// labels, pie and funnel from the first series. Series and point order match the widget's, so a click's
/// (seriesIndex, dataIndex) finds its point.
/// </summary>
public static class EChartOptions
{
    public static JsonObject Build(WidgetView widget)
    {
        var palette = new JsonArray(ChartColors.Palette.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        if (widget.Chart is "pie" or "funnel")
        {
            var first = widget.Series.FirstOrDefault();
            var points = first?.Points ?? [];
            var colors = ChartColors.Assign(points.Select(p => (p.Key ?? p.Label ?? string.Empty, p.Color)).ToList());
            var data = new JsonArray(points.Select((p, i) => (JsonNode?)new JsonObject
            {
                ["name"] = p.Label ?? "（空）",
                ["value"] = Number(p.Value),
                ["itemStyle"] = new JsonObject { ["color"] = colors[i] },
            }).ToArray());
            return new JsonObject
            {
                ["color"] = palette,
                ["tooltip"] = new JsonObject { ["trigger"] = "item", ["formatter"] = "{b}: {c} ({d}%)" },
                ["legend"] = new JsonObject { ["type"] = "scroll", ["bottom"] = 0 },
                ["series"] = new JsonArray(new JsonObject
                {
                    ["name"] = first?.Name,
                    ["type"] = widget.Chart,
                    ["radius"] = widget.Chart == "pie" ? new JsonArray("35%", "65%") : null,

                    // Whole percents: "39.63%" beside a slice is cut to "39.6…" at a narrow widget's edge.
                    ["percentPrecision"] = widget.Chart == "pie" ? 0 : null,
                    ["top"] = 10,
                    ["bottom"] = 30,
                    ["data"] = data,
                    // A narrow widget has no room for names beside the slices: they are in the legend and the tooltip.
                    ["label"] = new JsonObject { ["formatter"] = widget.Chart == "pie" ? (widget.W < 6 ? "{d}%" : "{b}\n{d}%") : "{b}" },
                }),
            };
        }

        var categories = widget.Series.FirstOrDefault()?.Points.Select(p => (JsonNode?)JsonValue.Create(p.Label ?? "（空）")).ToArray() ?? [];
        var type = widget.Chart == "line" ? "line" : "bar";
        var series = new JsonArray();
        var seriesColors = ChartColors.Assign(widget.Series.Select(s => (s.Key, s.Color)).ToList());

        // Figures of two kinds (a rate beside counts, minutes beside counts) get an axis each, named by their unit; without
        // units, or with more than two, figures of very different size get a right-hand axis of their own.
        var units = widget.Series.Select(s => s.Unit ?? string.Empty).Distinct().ToList();
        var byUnit = widget.Chart != "stacked-bar" && units.Count == 2;
        var peaks = widget.Series.Select(s => s.Points.Count == 0 ? 0 : s.Points.Max(p => Math.Abs(p.Value ?? 0))).ToList();
        var top = peaks.Count == 0 ? 0 : peaks.Max();
        var small = peaks.Select(p => p < top / 8).ToList();
        var twoAxes = byUnit || (widget.Chart != "stacked-bar" && (units.Count != 1 || units[0].Length == 0) && small.Any(x => x) && small.Any(x => !x));
        int AxisOf(int i) => byUnit ? units.IndexOf(widget.Series[i].Unit ?? string.Empty) : twoAxes && !small[i] ? 1 : 0;
        string? UnitOfAxis(int axis) => byUnit ? units[axis] : units.Count == 1 ? units[0] : null;
        for (var i = 0; i < widget.Series.Count; i++)
        {
            var s = widget.Series[i];
            series.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["type"] = type,
                ["yAxisIndex"] = AxisOf(i),
                ["stack"] = widget.Chart == "stacked-bar" ? s.Stack ?? "total" : null,
                ["smooth"] = type == "line" ? true : null,
                ["emphasis"] = new JsonObject { ["focus"] = "series" },
                ["itemStyle"] = new JsonObject { ["color"] = seriesColors[i] },
                ["lineStyle"] = type == "line" ? new JsonObject { ["color"] = seriesColors[i] } : null,
                ["data"] = new JsonArray(s.Points.Select(p => (JsonNode?)Number(p.Value)).ToArray()),
            });
        }

        return new JsonObject
        {
            ["color"] = palette,
            ["tooltip"] = new JsonObject { ["trigger"] = "axis" },
            ["legend"] = new JsonObject { ["type"] = "scroll", ["bottom"] = 0 },
            ["grid"] = new JsonObject { ["left"] = 8, ["right"] = 16, ["top"] = units.Any(u => UnitName(u) is not null) ? 30 : 16, ["bottom"] = 36, ["containLabel"] = true },
            ["xAxis"] = new JsonObject { ["type"] = "category", ["data"] = new JsonArray(categories) },
            ["yAxis"] = twoAxes
                ? new JsonArray(Axis(UnitOfAxis(0), split: true), Axis(UnitOfAxis(1), split: false))
                : Axis(UnitOfAxis(0), split: true),
            ["series"] = series,
        };
    }

    /// <summary>A value axis named by its unit; a percent axis labels its ticks with %.</summary>
    private static JsonObject Axis(string? unit, bool split)
    {
        var axis = new JsonObject { ["type"] = "value" };
        if (UnitName(unit) is { } name)
        {
            axis["name"] = name;
            axis["nameTextStyle"] = new JsonObject { ["color"] = "#6b7280", ["align"] = split ? "left" : "right" };
        }

        if (unit == "%")
        {
            axis["axisLabel"] = new JsonObject { ["formatter"] = "{value}%" };
        }

        if (!split)
        {
            axis["splitLine"] = new JsonObject { ["show"] = false };
        }

        return axis;
    }

    private static string? UnitName(string? unit) => unit switch
    {
        "%" => T("百分比", "Percent"),
        "count" => T("数量", "Count"),
        "minutes" => T("分钟", "Minutes"),
        "hours" => T("小时", "Hours"),
        "days" => T("天", "Days"),
        "money" => T("金额（元）", "Amount (¥)"),
        _ => null,
    };

    private static JsonNode? Number(decimal? value) => value is { } v ? JsonValue.Create(v) : null;
}
