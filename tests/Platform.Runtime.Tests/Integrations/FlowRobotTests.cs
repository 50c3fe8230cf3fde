using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>A flow's staff notifications reach its group robot once the connector is configured, and only then.</summary>
[Collection("platform")]
public sealed class FlowRobotTests(PlatformFixture platform)
{
    private const string App = "robot_lab";

    private static JsonObject Package() => JsonNode.Parse("""
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "robot_lab", "name": "机器人实验" },
          "entities": [ { "key": "job", "label": "工单", "titleField": "title", "fields": [ { "key": "title", "type": "text", "label": "标题", "required": true } ] } ],
          "flows": [
            { "key": "job_flow", "name": "工单流程", "entity": "job", "robot": { "provider": "wecom", "connector": "staff_wecom" },
              "steps": [ { "key": "start", "type": "start" },
                         { "key": "handle", "type": "approval", "name": "处理工单", "assignees": { "users": ["cs01"] } },
                         { "key": "done", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "done" } ] }
          ]
        }
        """)!.AsObject();

    private async Task<long> RobotRowsAsync(string title) => await platform.CountAsync(
        "select count(*) from outbox where kind = 'robot' and payload->>'app' = 'robot_lab' and payload->>'text' like '%' || $1 || '%'", title);

    [Fact]
    public async Task NewTask_IsSentToTheFlowsRobot_OnlyWhenItsConnectorIsConfigured()
    {
        using var admin = await platform.ClientForAsync("admin");
        if ((await admin.GetAsync($"/api/apps/{App}")).StatusCode == HttpStatusCode.NotFound)
        {
            (await admin.PostAsJsonAsync("/api/apps/import", Package())).EnsureSuccessStatusCode();
        }

        var before = "未配置-" + Guid.NewGuid().ToString("N")[..6];
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"/api/apps/{App}/entities/job/records", new { data = new { title = before } }), HttpStatusCode.Created);
        Assert.Equal(0, await RobotRowsAsync(before));

        await using var listener = await TestHttpListener.StartAsync();
        (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { $"127.0.0.1:{listener.Port}" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/apps/{App}/connectors/staff_wecom", new { kind = "wecom", baseUrl = listener.Url("/cgi-bin/webhook/send?key=k") })).EnsureSuccessStatusCode();
        var after = "已配置-" + Guid.NewGuid().ToString("N")[..6];
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"/api/apps/{App}/entities/job/records", new { data = new { title = after } }), HttpStatusCode.Created);

        Assert.Equal(1, await RobotRowsAsync(after));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (listener.Requests.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var body = JsonNode.Parse(Assert.Single(listener.Requests).BodyText)!["markdown"]!["content"]!.GetValue<string>();
        Assert.Contains("处理工单", body, StringComparison.Ordinal);
        Assert.Contains(after, body, StringComparison.Ordinal);
        Assert.Contains("cs01", body, StringComparison.Ordinal);
    }
}
