using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Tests.Reports;

/// <summary>
/// ReportValidator against the after-sales template: every case of ReportValidatorCases.json puts its reports
/// (or dashboards) into the template and expects exactly the listed problems, each at its JSON path.
/// </summary>
public sealed class ReportValidatorTests
{
    private static readonly Lazy<JsonArray> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "ReportValidatorCases.json")))!.AsArray());

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var item in Cases.Value)
        {
            names.Add(item!["case"]!.GetValue<string>());
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validate_ReportsEveryProblemAtItsPath_WhenTheCaseIsBroken(string name)
    {
        var item = Cases.Value.Single(c => c!["case"]!.GetValue<string>() == name)!;
        var app = SampleApp.Definition;
        if (item["reports"] is JsonArray reports)
        {
            app = app with { Reports = reports.Deserialize<List<ReportDefinition>>(MetadataJson.Options)!, Dashboards = [] };
        }

        if (item["dashboards"] is JsonArray dashboards)
        {
            app = app with { Dashboards = dashboards.Deserialize<List<DashboardDefinition>>(MetadataJson.Options)! };
        }

        var problems = ReportValidator.Validate(app);

        var expected = item["problems"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var actual = problems.Select(p => p.Path).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual), $"expected:\n  {string.Join("\n  ", expected)}\nactual:\n  {string.Join("\n  ", problems.Select(p => $"{p.Path}: {p.Message}"))}");
        foreach (var want in item["problems"]!.AsArray())
        {
            if (want!["contains"] is { } contains)
            {
                var path = want["path"]!.GetValue<string>();
                Assert.Contains(problems, p => p.Path == path && p.Message.Contains(contains.GetValue<string>(), StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Validate_AcceptsTheTemplatesReportsAndDashboard()
    {
        Assert.Equal(9, SampleApp.Definition.Reports.Count);
        Assert.Single(SampleApp.Definition.Dashboards);
        Assert.Empty(ReportValidator.Validate(SampleApp.Definition));
    }

    [Fact]
    public void Validate_ReportsTheTemplatesRollupsAsRollable()
    {
        var rolled = SampleApp.Definition.Reports.Where(r => r.Rollup).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["csat_trend", "first_time_fix_rate", "return_reasons"], rolled);
        Assert.All(SampleApp.Definition.Reports.Where(r => r.Rollup), r => Assert.NotNull(ReportRollupShape.Of(SampleApp.Definition, r, out _)));
    }

    [Fact]
    public void Validate_ReportsWhyEveryOtherTemplateReportCannotBeRolledUp()
    {
        foreach (var report in SampleApp.Definition.Reports.Where(r => !r.Rollup))
        {
            var problem = Assert.Single(ReportValidator.ValidateReport(SampleApp.Definition, report with { Rollup = true }, "$.reports[0]"));
            Assert.Equal("$.reports[0].rollup", problem.Path);
            Assert.Equal(ReportRollupShape.Explain(SampleApp.Definition, report), problem.Message);
        }
    }

    [Fact]
    public void Validate_ReportsNullNamesAndKinds_WithoutThrowing()
    {
        var report = new ReportDefinition
        {
            Key = null!,
            Name = null!,
            Entity = "return_request",
            Dimensions = [new ReportDimension { Key = null!, Field = null! }],
            Measures = [new ReportMeasure { Key = null!, Kind = null! }],
            Filters = [new ReportFilter { Field = null!, Op = null! }],
            Parameters = [new ReportParameter { Key = null!, Field = null!, Op = null! }],
            Chart = new ReportChart { Kind = null! },
            Schedules = [new ReportSchedule { Key = null!, Cron = null! }],
        };

        var ratio = new ReportDefinition
        {
            Key = "ratio",
            Name = "ratio",
            Entity = "return_request",
            Measures = [new ReportMeasure { Key = "n", Kind = "count" }, new ReportMeasure { Key = "r", Kind = "ratio" }],
            Sort = [new ReportSort { By = null! }],
        };

        var paths = ReportValidator.Validate(SampleApp.Definition with { Reports = [report, ratio], Dashboards = [] }).Select(p => p.Path).ToHashSet();

        var expected = new HashSet<string>
            {
                "$.reports[0].key", "$.reports[0].name", "$.reports[0].dimensions[0].key", "$.reports[0].dimensions[0].field",
                "$.reports[0].measures[0].key", "$.reports[0].measures[0].kind", "$.reports[1].measures[1].numerator", "$.reports[1].measures[1].denominator",
                "$.reports[0].filters[0].field", "$.reports[0].filters[0].op", "$.reports[0].parameters[0].key", "$.reports[0].parameters[0].op",
                "$.reports[0].parameters[0].field", "$.reports[1].sort[0].by", "$.reports[0].schedules[0].key", "$.reports[0].schedules[0].cron",
            };
        Assert.Empty(expected.Except(paths));
    }

    [Fact]
    public void Validate_ReportsDashboardWidgetOfARemovedReport()
    {
        var app = SampleApp.Definition with { Reports = SampleApp.Definition.Reports.Where(r => r.Key != "csat_trend").ToList() };
        var problem = Assert.Single(ReportValidator.Validate(app));
        Assert.Equal("$.dashboards[0].widgets[7].report", problem.Path);
        Assert.Contains("csat_trend", problem.Message, StringComparison.Ordinal);
    }
}
