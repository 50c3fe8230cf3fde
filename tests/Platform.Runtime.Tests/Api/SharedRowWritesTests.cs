using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Flows;
using Platform.Runtime.Tests.Reports;
using Platform.Templates;

namespace Platform.Runtime.Tests.Api;

/// <summary>Which entities' writes lock rows shared with other records' writes (and so are never group-committed).</summary>
public sealed class SharedRowWritesTests
{
    private static readonly AppDefinition Lab = PackageMapper.ToDefinition(PackageReader.Read(ReportLab.Package("shared_rows"), out _)!) with { Version = 1 };

    [Fact]
    public void Of_IsTrue_ForTheEntityOfARolledUpReport_AndFalseForAnEntityOnlyJoined()
    {
        Assert.Contains(Lab.Reports, r => r.Rollup && r.Entity == "ticket");
        Assert.True(SharedRowWrites.Of(Lab, "ticket"));
        Assert.DoesNotContain(Lab.Reports, r => r.Rollup && r.Entity == "owner");
        Assert.False(SharedRowWrites.Of(Lab, "owner"));
        Assert.False(SharedRowWrites.Of(Lab, "no_such_entity"));
    }

    [Fact]
    public void Of_IsTrue_ForTheCountedEntityOfAnAggregate_AndTheTemplatesRolledUpEntities_AndFalseForCustomers()
    {
        var template = PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(File.ReadAllText(Path.Combine(RuntimeProcess.RepositoryRoot(), "samples", "after-sales-app.json")))!, out _)!) with { Version = 1 };
        Assert.True(SharedRowWrites.Of(template, "service_request"));
        Assert.True(SharedRowWrites.Of(template, "return_request"));
        Assert.True(SharedRowWrites.Of(template, "feedback"));
        Assert.False(SharedRowWrites.Of(template, "customer"));
        Assert.False(SharedRowWrites.Of(template, "engineer"));
    }
}
