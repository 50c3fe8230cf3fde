using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// A two-approval flow on after-sales customers for the group-commit tests of task actions: customers whose address is the
/// flow's mark start it, cs01 approves steps a and b.
/// </summary>
internal static class TwoApprovalFlowKit
{
    private const string Customers = "/api/apps/after_sales/entities/customer/records";

    /// <summary>Publishes <paramref name="flow"/> (started by address <paramref name="startMark"/>) and starts it on <paramref name="count"/> new customers; their instance ids.</summary>
    public static async Task<Guid[]> InstancesAsync(PlatformFixture platform, HttpClient client, string flow, string startMark, string name, int count)
    {
        using (var admin = await platform.ClientForAsync("admin"))
        {
            var definition = JsonNode.Parse($$"""
                { "key": "{{flow}}", "name": "{{flow}}", "entity": "customer", "startWhen": "address == '{{startMark}}'",
                  "steps": [ { "key": "start", "type": "start" }, { "key": "a", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "b", "type": "approval", "assignees": { "users": ["cs01"] } }, { "key": "done", "type": "end" } ],
                  "transitions": [ { "from": "start", "to": "a" }, { "from": "a", "to": "b" }, { "from": "b", "to": "done" } ] }
                """);
            await ApiAssert.JsonAsync(await admin.PutAsJsonAsync($"/api/apps/after_sales/flows/{flow}", definition), HttpStatusCode.OK);
        }

        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            var response = await client.PostAsJsonAsync(Customers, new
            {
                data = new { name = $"{name}{i}", phone = $"137{Random.Shared.Next(0, 99_999_999):D8}", tier = "regular", region = "east", address = startMark },
            });
            var created = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
            ids[i] = Guid.Parse(created["flow"]!["instanceId"]!.GetValue<string>());
        }

        return ids;
    }

    /// <summary>The open task of step a of each instance.</summary>
    public static async Task<Guid[]> OpenTasksAsync(PlatformFixture platform, Guid[] instances)
    {
        var tasks = new Guid[instances.Length];
        for (var i = 0; i < instances.Length; i++)
        {
            tasks[i] = await platform.ScalarAsync<Guid>("select id from flow_tasks where instance_id = $1 and step = 'a' and status = 'open'", instances[i]);
        }

        return tasks;
    }

    public static Task<HttpResponseMessage> ApproveAsync(HttpClient client, Guid task, string? comment = null) =>
        client.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve", comment });

    /// <summary>A fresh mark for this test's records.</summary>
    public static string Mark() => Guid.NewGuid().ToString("N")[..10];

    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }
}
