using System.Text.Json.Nodes;
using Platform.Designer.Services;

namespace Platform.Designer.Charts;

/// <summary>
/// Builds the echarts option of a widget from its series: line, bar and stacked bar over the first dimension's
/// labels, pie and funnel from the first series. Series and point order match the widget's, so a click's
/// (seriesIndex, dataIndex) finds its point.
/// </summary>
public static class EChartOptions
{
    private static readonly string[] Palette = ["#1677ff", "#52c41a", "#faad14", "#f5222d", "#722ed1", "#13c2c2", "#eb2f96", "#fa8c16", "#2f54eb"];

    public static JsonObject Build(WidgetView widget)
    {
        var palette = new JsonArray(Palette.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        if (widget.Chart is "pie" or "funnel")
        {
            var first = widget.Series.FirstOrDefault();
            var data = new JsonArray((first?.Points ?? []).Select(p => (JsonNode?)new JsonObject { ["name"] = p.Label ?? "（空）", ["value"] = Number(p.Value) }).ToArray());
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
                    ["top"] = 10,
                    ["bottom"] = 30,
                    ["data"] = data,
                    ["label"] = new JsonObject { ["formatter"] = widget.Chart == "pie" ? "{b}\n{d}%" : "{b}" },
                }),
            };
        }

        var categories = widget.Series.FirstOrDefault()?.Points.Select(p => (JsonNode?)JsonValue.Create(p.Label ?? "（空）")).ToArray() ?? [];
        var type = widget.Chart == "line" ? "line" : "bar";
        var series = new JsonArray();

        // Figures of very different size (an amount beside a count, a rate beside volumes) get their own right-hand axis.
        var peaks = widget.Series.Select(s => s.Points.Count == 0 ? 0 : s.Points.Max(p => Math.Abs(p.Value ?? 0))).ToList();
        var top = peaks.Count == 0 ? 0 : peaks.Max();
        var small = peaks.Select(p => p < top / 8).ToList();
        var twoAxes = widget.Chart != "stacked-bar" && small.Any(x => x) && small.Any(x => !x);
        for (var i = 0; i < widget.Series.Count; i++)
        {
            var s = widget.Series[i];
            series.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["type"] = type,
                ["yAxisIndex"] = twoAxes && !small[i] ? 1 : 0,
                ["stack"] = widget.Chart == "stacked-bar" ? s.Stack ?? "total" : null,
                ["smooth"] = type == "line" ? true : null,
                ["emphasis"] = new JsonObject { ["focus"] = "series" },
                ["data"] = new JsonArray(s.Points.Select(p => (JsonNode?)Number(p.Value)).ToArray()),
            });
        }

        return new JsonObject
        {
            ["color"] = palette,
            ["tooltip"] = new JsonObject { ["trigger"] = "axis" },
            ["legend"] = new JsonObject { ["type"] = "scroll", ["bottom"] = 0 },
            ["grid"] = new JsonObject { ["left"] = 8, ["right"] = 16, ["top"] = 16, ["bottom"] = 36, ["containLabel"] = true },
            ["xAxis"] = new JsonObject { ["type"] = "category", ["data"] = new JsonArray(categories) },
            ["yAxis"] = twoAxes
                ? new JsonArray(new JsonObject { ["type"] = "value" }, new JsonObject { ["type"] = "value", ["splitLine"] = new JsonObject { ["show"] = false } })
                : new JsonObject { ["type"] = "value" },
            ["series"] = series,
        };
    }

    private static JsonNode? Number(decimal? value) => value is { } v ? JsonValue.Create(v) : null;
}
