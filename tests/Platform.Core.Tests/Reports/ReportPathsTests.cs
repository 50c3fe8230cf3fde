using Platform.Core.Metadata;
using Platform.Core.Reports;

namespace Platform.Core.Tests.Reports;

public sealed class ReportPathsTests
{
    private static AppDefinition App => SampleApp.Definition;

    private static ReportPath Resolve(string entity, string path, bool visits = false)
    {
        var resolved = ReportPaths.Resolve(App, SampleApp.Entity(entity), path, visits, out var error);
        Assert.True(resolved is not null, error);
        return resolved!;
    }

    private static string Error(string entity, string? path, bool visits = false, AppDefinition? app = null)
    {
        app ??= App;
        Assert.Null(ReportPaths.Resolve(app, app.FindEntity(entity)!, path, visits, out var error));
        return error!;
    }

    [Fact]
    public void Resolve_ReadsAPlainField_WhenThePathHasOneSegment()
    {
        var path = Resolve("return_request", "reason");
        Assert.Empty(path.Hops);
        Assert.Equal("return_request", path.Entity.Key);
        Assert.Equal("reason", path.Field!.Key);
        Assert.Equal(ReportValueKind.Text, path.Kind);
    }

    [Fact]
    public void Resolve_FollowsAReference_ToTheReferencedEntity()
    {
        var path = Resolve("return_request", "customer.region");
        var hop = Assert.Single(path.Hops);
        Assert.Equal("customer", hop.Prefix);
        Assert.Equal("customer", hop.Via.Key);
        Assert.Equal("customer", hop.Target.Key);
        Assert.Null(hop.MatchField);
        Assert.Equal("customer", path.Entity.Key);
        Assert.Equal("region", path.Field!.Key);
    }

    [Fact]
    public void Resolve_FollowsARowLookup_ToTheEntityTheRowReferences()
    {
        // return_request.product copies items[].product of the order found by order_no, which references product.
        var path = Resolve("return_request", "product.category");
        var hop = Assert.Single(path.Hops);
        Assert.Equal("product", hop.Via.Key);
        Assert.Equal("product", hop.Target.Key);
        Assert.Null(hop.MatchField);
        Assert.Equal("category", path.Field!.Key);
        Assert.Equal("product", Resolve("return_request", "product").References!.Key);
    }

    [Fact]
    public void Resolve_FollowsARecordLookup_ByItsMatchField()
    {
        var path = Resolve("return_request", "order_no.customer.region");
        Assert.Equal(2, path.Hops.Count);
        Assert.Equal("sales_order", path.Hops[0].Target.Key);
        Assert.Equal("order_no", path.Hops[0].MatchField);
        Assert.Equal("order_no", path.Hops[0].Prefix);
        Assert.Equal("customer", path.Hops[1].Target.Key);
        Assert.Null(path.Hops[1].MatchField);
        Assert.Equal("order_no.customer", path.Hops[1].Prefix);
        Assert.Equal("region", path.Field!.Key);
    }

    [Fact]
    public void Resolve_GivesSystemValues_OnTheRootAndAfterHops()
    {
        Assert.Equal(ReportValueKind.Instant, Resolve("return_request", "createdAt").Kind);
        Assert.Equal("flow.endedAt", Resolve("return_request", "flow.endedAt").System);
        var hopped = Resolve("feedback", "service_request.createdAt");
        Assert.Equal("createdAt", hopped.System);
        Assert.Equal("service_request", Assert.Single(hopped.Hops).Target.Key);
        Assert.True(Resolve("return_request", "createdBy").IsUser);
    }

    [Fact]
    public void Resolve_GivesValueKinds_ByFieldType()
    {
        Assert.Equal(ReportValueKind.Number, Resolve("return_request", "quantity").Kind);
        Assert.Equal(ReportValueKind.Number, Resolve("return_request", "amount").Kind);
        Assert.Equal(ReportValueKind.Date, Resolve("return_request", "purchased_at").Kind);
        Assert.Equal(ReportValueKind.Instant, Resolve("service_request", "accepted_at").Kind);
        Assert.Equal(ReportValueKind.Boolean, Resolve("feedback", "first_time_fix").Kind);
        Assert.Equal(ReportValueKind.List, Resolve("return_request", "images").Kind);
        Assert.Equal(ReportValueKind.List, Resolve("engineer", "skills").Kind);
        Assert.True(Resolve("service_request", "engineer_user").IsUser);
    }

    [Fact]
    public void Resolve_ReadsVisitValuesAndRecordFields_ForStepVisits()
    {
        var step = Resolve("return_request", "step", visits: true);
        Assert.True(step.OfVisit);
        Assert.Equal("step", step.System);
        Assert.True(Resolve("return_request", "leftAt", visits: true).IsDateLike);
        var region = Resolve("return_request", "record.customer.region", visits: true);
        Assert.False(region.OfVisit);
        Assert.Equal("region", region.Field!.Key);
        Assert.Equal("customer", Assert.Single(region.Hops).Target.Key);
        Assert.Equal("createdAt", Resolve("return_request", "record.createdAt", visits: true).System);
    }

    [Fact]
    public void Resolve_RefusesRecordFields_WithoutTheRecordPrefixForStepVisits() =>
        Assert.Contains("record.", Error("return_request", "reason", visits: true), StringComparison.Ordinal);

    [Fact]
    public void Resolve_RefusesUnknownFields_NamingTheEntityAndSegment()
    {
        var error = Error("return_request", "customer.nope");
        Assert.Contains("customer", error, StringComparison.Ordinal);
        Assert.Contains("nope", error, StringComparison.Ordinal);
        Assert.Contains("nope", Error("return_request", "nope"), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RefusesHops_ThroughAFieldThatIsNotAReference() =>
        Assert.Contains("reason", Error("return_request", "reason.label"), StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("customer.")]
    [InlineData(".region")]
    [InlineData("customer..region")]
    [InlineData("reason' or 1=1 --")]
    [InlineData("data->>'reason'")]
    [InlineData("customer.region; drop table records")]
    public void Resolve_RefusesMalformedPaths_WithAnError(string? path) =>
        Assert.False(string.IsNullOrEmpty(Error("return_request", path)));

    [Fact]
    public void Resolve_FollowsThreeHops_ButNotFour()
    {
        var app = Chain(5);
        var three = ReportPaths.Resolve(app, app.FindEntity("e0")!, "next.next.next.name", false, out var error);
        Assert.True(three is not null, error);
        Assert.Equal(3, three!.Hops.Count);
        Assert.Equal("e3", three.Entity.Key);
        Assert.Equal("next.next.next", three.Hops[2].Prefix);
        Assert.Contains("3", Error("e0", "next.next.next.next.name", app: app), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RefusesAReferenceToAMissingEntity_AsAHop()
    {
        var app = Chain(1);
        Assert.Null(ReportPaths.TargetOf(app, app.FindEntity("e0")!, app.FindEntity("e0")!.FindField("next")!));
        Assert.Contains("next", Error("e0", "next.name", app: app), StringComparison.Ordinal);
    }

    /// <summary>Entities e0 … e{n-1}, each with a name and a reference "next" to the following one.</summary>
    private static AppDefinition Chain(int n) => new()
    {
        Key = "chain",
        Name = "chain",
        Entities = Enumerable.Range(0, n).Select(i => new EntityDefinition
        {
            Key = $"e{i}",
            Label = $"e{i}",
            Fields =
            [
                new FieldDefinition { Key = "name", Type = "text" },
                new FieldDefinition { Key = "next", Type = "reference", Reference = new ReferenceSettings($"e{i + 1}") },
            ],
        }).ToList(),
    };
}
