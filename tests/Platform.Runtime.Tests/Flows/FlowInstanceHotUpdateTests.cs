using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Flows;

/// <summary>
/// <c>flow_instances</c> keeps room on its pages, so a command's rewrite of its instance row (no indexed column changed) can be a
/// HOT update without index entries even when the row was written among many others (M0022).
/// </summary>
[Collection("platform")]
public sealed class FlowInstanceHotUpdateTests(PlatformFixture platform)
{
    [Fact]
    public async Task FlowInstances_LeaveAQuarterOfEachPageFree()
    {
        Assert.Equal(1, await platform.CountAsync("select count(*) from pg_class where relname = 'flow_instances' and 'fillfactor=75' = any(reloptions)"));
    }
}
