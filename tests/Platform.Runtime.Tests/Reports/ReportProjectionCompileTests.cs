using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Runtime.Execution.Reports;
using Platform.Templates;

namespace Platform.Runtime.Tests.Reports;

/// <summary>The report compiler over a report projection, without a database: which SQL it writes, and when it falls back to the records.</summary>
public sealed class ReportProjectionCompileTests
{
    private static readonly AppDefinition App = PackageMapper.ToDefinition(PackageReader.Read(ReportLab.Package("lab_sql"), out _)!) with { Version = 1 };

    private static readonly ReportProjectionShape Shape = ReportProjectionShape.Of(App, App.FindEntity("ticket")!)!;

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryLabReportOfTheEntity_ReadsTheProjection_WithoutTouchingTheWideRows()
    {
        foreach (var report in App.Reports.Where(r => r.Entity == "ticket"))
        {
            var sql = ReportSqlCompiler.Compile(App, report, ReportRequest.Empty(Now), Shape).Sql;
            Assert.Contains($"from \"{Shape.Table}\" s", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("s.data", sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void APathAlongAReference_JoinsFromTheProjectedReferenceColumn()
    {
        var sql = ReportSqlCompiler.Compile(App, App.FindReport("owner_region")!, ReportRequest.Empty(Now), Shape).Sql;
        Assert.Contains($"from \"{Shape.Table}\" s left join records j1", sql, StringComparison.Ordinal);
        Assert.Contains("(s.\"f_owner\")", sql, StringComparison.Ordinal);
        Assert.Contains("j1.data->>'region'", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void ParametersViewerFiltersAndRowScopes_StayParameters_AndUserFieldsComeFromTheProjectionsData()
    {
        var request = new ReportRequest(new Dictionary<string, string> { ["q"] = "x'; drop table records; --", ["amount"] = "1..5" }, ["status:eq:open"], Now)
        {
            Rows = (_, param) => $"(s.created_by = {param("li")} or s.owner_department = {param("d1")})",
        };
        var compiled = ReportSqlCompiler.Compile(App, App.FindReport("owner_region")!, request, Shape);
        Assert.Contains($"\"{Shape.Table}\" s", compiled.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("drop table", compiled.Sql, StringComparison.Ordinal);
        Assert.Contains("(s.\"f_amount\") >= @p", compiled.Sql, StringComparison.Ordinal);
        Assert.Contains("s.created_by = @p", compiled.Sql, StringComparison.Ordinal);
        Assert.Contains(compiled.Parameters.Values, v => v as string == "%x'; drop table records; --%");
    }

    [Fact]
    public void AValueTheProjectionDoesNotKeep_OrAnOutdatedShape_CompilesOverTheRecords_AsBefore()
    {
        var report = App.FindReport("scored")!;
        var request = new ReportRequest(new Dictionary<string, string>(), ["name:eq:x"], Now);
        var withoutName = new ReportProjectionShape(Shape.App, Shape.Entity, Shape.Columns.Where(c => c.Field != "name").ToList(), Shape.UserFields, Shape.LocalTimes);
        Assert.Contains(withoutName.Table, ReportSqlCompiler.Compile(App, report, ReportRequest.Empty(Now), withoutName).Sql, StringComparison.Ordinal);
        Assert.Equal(ReportSqlCompiler.Compile(App, report, request).Sql, ReportSqlCompiler.Compile(App, report, request, withoutName).Sql);

        var otherApp = new ReportProjectionShape("another", Shape.Entity, Shape.Columns, Shape.UserFields, Shape.LocalTimes);
        Assert.Equal(ReportSqlCompiler.Compile(App, report, ReportRequest.Empty(Now)).Sql, ReportSqlCompiler.Compile(App, report, ReportRequest.Empty(Now), otherApp).Sql);
    }

    [Fact]
    public void ADateTimeBucket_IsGroupedByTheTruncatedMoment_AndFormattedPerGroup()
    {
        // Over the records the local time is converted per row; over a projection without its bucket column (an older shape)
        // the local time is a column.
        var withoutBuckets = new ReportProjectionShape(Shape.App, Shape.Entity, Shape.Columns, Shape.UserFields, Shape.LocalTimes);
        foreach (var (projection, local) in new[] { (withoutBuckets, "s.\"l_created_at\""), (null, "(s.created_at at time zone 'Asia/Shanghai')") })
        {
            var sql = ReportSqlCompiler.Compile(App, App.FindReport("region_month")!, ReportRequest.Empty(Now), projection).Sql;
            var month = $"date_trunc('month', {local})";
            Assert.Contains($"to_char({month}, 'YYYY-MM') as \"d_month\"", sql, StringComparison.Ordinal);
            Assert.Contains($"group by {month}, 2", sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ADateTimeBucket_IsGroupedByTheProjectionsBucketColumn_WhenTheProjectionKeepsIt()
    {
        Assert.Equal(new ReportProjectionBucket("createdAt", "month", "b_created_at_month"), Shape.BucketOf("createdAt", "month"));
        var sql = ReportSqlCompiler.Compile(App, App.FindReport("region_month")!, ReportRequest.Empty(Now), Shape).Sql;
        Assert.Contains("to_char((s.\"b_created_at_month\")::timestamp, 'YYYY-MM') as \"d_month\"", sql, StringComparison.Ordinal);
        Assert.Contains("group by s.\"b_created_at_month\", 2", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("date_trunc", sql, StringComparison.Ordinal);
    }
}
