using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Tests.Reports;

public sealed class ReportProjectionShapeTests
{
    private static readonly EntityDefinition Customer = new()
    {
        Key = "customer",
        Label = "客户",
        Fields = [new FieldDefinition { Key = "level", Type = "select" }, new FieldDefinition { Key = "city", Type = "text" }],
    };

    private static readonly EntityDefinition Ticket = new()
    {
        Key = "ticket",
        Label = "工单",
        Fields =
        [
            new FieldDefinition { Key = "region", Type = "select", Indexed = true },
            new FieldDefinition { Key = "amount", Type = "money" },
            new FieldDefinition { Key = "fixed", Type = "boolean" },
            new FieldDefinition { Key = "closed_at", Type = "datetime" },
            new FieldDefinition { Key = "tags", Type = "multi-select" },
            new FieldDefinition { Key = "customer", Type = "reference", Reference = new ReferenceSettings("customer") },
            new FieldDefinition { Key = "engineer", Type = "user" },
            new FieldDefinition { Key = "note", Type = "textarea" },
            new FieldDefinition { Key = "x" + new string('y', 61), Type = "text", Indexed = true },
        ],
    };

    private static readonly ReportDefinition Report = new()
    {
        Key = "by_level",
        Name = "按等级",
        Entity = "ticket",
        Dimensions = [new ReportDimension { Key = "level", Field = "customer.level" }, new ReportDimension { Key = "month", Field = "createdAt", Bucket = "month" }],
        Measures =
        [
            new ReportMeasure { Key = "amount", Kind = "sum", Field = "amount" },
            new ReportMeasure { Key = "fixed", Kind = "count", Where = [new ReportFilter { Field = "fixed", Op = "eq" }] },
            new ReportMeasure { Key = "hours", Kind = "duration", From = "createdAt", To = "closed_at" },
        ],
        Parameters = [new ReportParameter { Key = "tags", Field = "tags", Op = "eq" }],
    };

    private static AppDefinition App(params ReportDefinition[] reports) => new() { Key = "demo", Name = "演示", Entities = [Ticket, Customer], Reports = reports };

    [Fact]
    public void Of_KeepsIndexedFields_FieldsReportsUse_TheFirstHopOfAPath_AndUserFieldsInData()
    {
        var shape = ReportProjectionShape.Of(App(Report), Ticket)!;
        Assert.Equal(["region", "amount", "fixed", "closed_at", "tags", "customer"], shape.Columns.Select(c => c.Field));
        Assert.Equal("f_amount", shape.ColumnOf("amount")!.Column);
        Assert.Equal(
            [ReportValueKind.Text, ReportValueKind.Number, ReportValueKind.Boolean, ReportValueKind.Instant, ReportValueKind.List, ReportValueKind.Text],
            shape.Columns.Select(c => c.Kind));
        Assert.Equal(["engineer"], shape.UserFields);
        Assert.Null(shape.ColumnOf("note"));
        Assert.StartsWith("report_facts_", shape.Table, StringComparison.Ordinal);
        Assert.True(shape.Table.Length <= 63 - "_sync".Length);
    }

    [Fact]
    public void Of_KeepsTheLocalTimeOfDateTimesThatADimensionBucketsBy_AndNoOthers()
    {
        Assert.Equal([new ReportProjectionLocalTime("createdAt", "l_created_at")], ReportProjectionShape.Of(App(Report), Ticket)!.LocalTimes);

        var byClosed = Report with { Dimensions = [.. Report.Dimensions, new ReportDimension { Key = "closed", Field = "closed_at", Bucket = "week" }] };
        var shape = ReportProjectionShape.Of(App(byClosed), Ticket)!;
        Assert.Equal(["createdAt", "closed_at"], shape.LocalTimes.Select(l => l.Path));
        Assert.Equal("l_closed_at", shape.LocalTimeOf("closed_at")!.Column);
        Assert.Null(shape.LocalTimeOf("updatedAt"));
        Assert.NotEqual(ReportProjectionShape.Of(App(Report), Ticket)!.Hash, shape.Hash);

        // closed_at only measured (a duration), createdAt not a dimension: nothing to keep.
        var measuredOnly = Report with { Dimensions = [new ReportDimension { Key = "region", Field = "region" }] };
        Assert.Empty(ReportProjectionShape.Of(App(measuredOnly), Ticket)!.LocalTimes);
    }

    [Fact]
    public void Of_KeepsABucketColumnPerUnitADimensionGroupsADateTimeBy_AndNoOthers()
    {
        Assert.Equal([new ReportProjectionBucket("createdAt", "month", "b_created_at_month")], ReportProjectionShape.Of(App(Report), Ticket)!.Buckets);

        // A dimension without a bucket groups by the day; units are kept in a fixed order, whatever the reports' order.
        var more = Report with
        {
            Dimensions = [.. Report.Dimensions, new ReportDimension { Key = "closed", Field = "closed_at", Bucket = "week" }, new ReportDimension { Key = "day", Field = "createdAt" }],
        };
        var shape = ReportProjectionShape.Of(App(more), Ticket)!;
        Assert.Equal(["b_created_at_day", "b_created_at_month", "b_closed_at_week"], shape.Buckets.Select(b => b.Column));
        Assert.Equal("b_created_at_day", shape.BucketOf("createdAt", "day")!.Column);
        Assert.Null(shape.BucketOf("createdAt", "year"));
        Assert.NotEqual(ReportProjectionShape.Of(App(Report), Ticket)!.Hash, shape.Hash);
    }

    [Fact]
    public void Of_IsNull_WhenNoReportReadsTheEntity_OrOnlyFlowReportsDo()
    {
        Assert.Null(ReportProjectionShape.Of(App(), Ticket));
        Assert.Null(ReportProjectionShape.Of(App(Report with { Entity = null, Flow = "service" }), Ticket));
        Assert.Null(ReportProjectionShape.Of(App(Report), Customer));
    }

    [Fact]
    public void Hash_ChangesWithTheColumns_AndIsStableOtherwise()
    {
        var first = ReportProjectionShape.Of(App(Report), Ticket)!;
        Assert.Equal(first.Hash, ReportProjectionShape.Of(App(Report with { Name = "改名" }), Ticket)!.Hash);
        var withNote = ReportProjectionShape.Of(App(Report with { Filters = [new ReportFilter { Field = "note", Op = "notEmpty" }] }), Ticket)!;
        Assert.NotEqual(first.Hash, withNote.Hash);
        Assert.NotEqual(first.Table, withNote.Table);
        Assert.NotNull(withNote.ColumnOf("note"));
    }

    [Fact]
    public void Paths_NameDimensionsMeasuresConditionsFiltersAndParameters_ButNotForeignMeasures()
    {
        var report = Report with
        {
            Measures = [.. Report.Measures, new ReportMeasure { Key = "parts", Kind = "count", Entity = "part", Field = "qty" }],
            Filters = [new ReportFilter { Field = "note", Op = "notEmpty" }],
        };
        Assert.Equal(["customer.level", "createdAt", "amount", "fixed", "createdAt", "closed_at", "note", "tags"], ReportProjectionShape.Paths(report));
    }
}
