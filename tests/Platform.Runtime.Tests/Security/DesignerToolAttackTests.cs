using System.Net;
using System.Net.Http.Json;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Designer tools run definitions (published or draft) over arbitrary data with lookups, or read records across every
/// permission: a customer-service user (no designer role) must get 403 from each, and the analyst (designer) is served.
/// </summary>
[Collection("platform")]
public sealed class DesignerToolAttackTests(PlatformFixture platform)
{
    private static readonly object SimulateBody = new { data = new { amount = 800, kind = "return", reason = "quality" } };

    [Fact]
    public async Task FlowSimulate_Answers403_WhenCallerIsNoDesigner()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var admin = await platform.ClientForAsync("admin");
        var instances = await platform.CountAsync("select count(*) from flow_instances");

        var simulate = await cs01.PostAsJsonAsync($"{Attack.App}/flows/return_flow/simulate", SimulateBody);
        var draft = await cs01.PostAsJsonAsync($"{Attack.App}/flows/return_flow/simulate", new
        {
            definition = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"{Attack.App}/flows/return_flow"),
            data = new { order_no = await Attack.SingleItemOrderAsync(platform) },
        });

        Assert.Equal(HttpStatusCode.Forbidden, simulate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, draft.StatusCode);
        Assert.Equal(instances, await platform.CountAsync("select count(*) from flow_instances"));
    }

    [Fact]
    public async Task DesignerTools_Answer403_WhenCallerIsNoDesigner_AndServeTheAnalyst()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var analyst = await platform.ClientForAsync("analyst");

        Assert.Equal(HttpStatusCode.Forbidden, (await cs01.PostAsJsonAsync($"{Attack.App}/rules/auto_dispatch/dry-run", new { data = new { region = "east" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs01.GetAsync($"{Attack.App}/rules/firings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs01.GetAsync($"{Attack.App}/drafts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs01.GetAsync($"{Attack.App}/export")).StatusCode);

        await ApiAssert.JsonAsync(await analyst.PostAsJsonAsync($"{Attack.App}/flows/return_flow/simulate", SimulateBody), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"{Attack.App}/drafts")).StatusCode);
    }
}
