using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Script escapes through every expression a designer can publish over HTTP — formulas, visibleWhen, requiredWhen, flow
/// gateway conditions and assignee expressions, rule conditions and rule action values (run and dry-run) — and through
/// report parameter values: sandbox escapes, string compilation, modules, endless loops, deep recursion, huge strings.
/// Each is a 422 at publish or a fault at run time (201/422, never 500), quickly, with nothing huge stored, and the
/// process keeps serving. Runs in the attack lab, whose definitions are restored afterwards.
/// </summary>
[Collection("platform")]
public sealed class ScriptEscapeAttackTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Cases = Attack.LabApi + "/entities/case/records";

    private static readonly string[] Escapes =
    [
        "this.constructor.constructor('return process')()",
        "Function('return globalThis')()",
        "(() => { while (true) {} })()",
        "(function f(n) { return f(n + 1); })(0)",
        "'x'.repeat(1e8)",
    ];

    private static readonly string[] MoreEscapes =
    [
        "eval('1 + 1')",
        "import('fs')",
        "score.constructor.constructor('return this')()",
        "Object.getPrototypeOf(async function () {}).constructor('return 1')()",
        "Array(10000).fill('x'.repeat(10000)).join('')",
        "(() => { Math.max = null; return 1; })()",
    ];

    /// <summary>Assignee expressions that would open a task per name, or store a name no user has.</summary>
    private static readonly string[] AssigneeFloods =
    [
        "[...Array(100000).keys()].map(String)",
        "'x'.repeat(5000)",
    ];

    private readonly List<string> failures = [];

    public Task InitializeAsync() => Attack.EnsureLabAsync(platform);

    public async Task DisposeAsync()
    {
        // Put the lab back as imported, for the other attack tests.
        var package = Attack.LabPackage();
        using var analyst = await platform.ClientForAsync("analyst");
        await analyst.PutAsJsonAsync($"{Attack.LabApi}/entities/case", package["entities"]![0]);
        await analyst.PutAsJsonAsync($"{Attack.LabApi}/flows/case_flow", package["flows"]![0]);
        await analyst.PutAsJsonAsync($"{Attack.LabApi}/rules/evil", Rule("false", "'x'", enabled: false));
    }

    private static JsonObject Rule(string condition, string value, bool enabled = true) => new()
    {
        ["key"] = "evil", ["name"] = "恶意规则", ["entity"] = "case", ["enabled"] = enabled, ["trigger"] = new JsonObject { ["type"] = "record.created" },
        ["condition"] = condition, ["actions"] = new JsonArray(new JsonObject { ["type"] = "set-fields", ["fields"] = new JsonObject { ["note"] = value } }),
    };

    private static JsonObject Entity(string field, string property, string payload)
    {
        var entity = Attack.LabPackage()["entities"]![0]!.AsObject();
        entity["fields"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == field)![property] = payload;
        return entity;
    }

    private static JsonObject Flow(Action<JsonObject> change)
    {
        var flow = Attack.LabPackage()["flows"]![0]!.AsObject();
        change(flow);
        return flow;
    }

    [Fact]
    public async Task EveryExpressionInput_Is422AtPublishOrAFaultAtRunTime_QuicklyAndWithoutBreakingTheProcess()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        foreach (var payload in Escapes.Concat(MoreEscapes))
        {
            await TryAsync(analyst, "formula", payload, $"{Attack.LabApi}/entities/case", Entity("total", "formula", payload), 2);
        }

        foreach (var payload in Escapes)
        {
            await TryAsync(analyst, "visibleWhen", payload, $"{Attack.LabApi}/entities/case", Entity("note", "visibleWhen", payload), 2);
            await TryAsync(analyst, "requiredWhen", payload, $"{Attack.LabApi}/entities/case", Entity("extra", "requiredWhen", payload), 2);
        }

        await RestoreAsync(analyst, $"{Attack.LabApi}/entities/case", Attack.LabPackage()["entities"]![0]!);
        foreach (var payload in Escapes)
        {
            await TryAsync(analyst, "gateway", payload, $"{Attack.LabApi}/flows/case_flow", Flow(f => f["transitions"]![1]!["condition"] = payload), 200);
            await TryAsync(analyst, "assignee", payload, $"{Attack.LabApi}/flows/case_flow", Flow(f => f["steps"]![2]!["assignees"] = new JsonObject { ["expression"] = payload }), 200);
        }

        var tasks = await platform.CountAsync("select count(*) from flow_tasks");
        foreach (var payload in AssigneeFloods)
        {
            await TryAsync(analyst, "assignee", payload, $"{Attack.LabApi}/flows/case_flow", Flow(f => f["steps"]![2]!["assignees"] = new JsonObject { ["expression"] = payload }), 200);
        }

        Assert.True(await platform.CountAsync("select count(*) from flow_tasks") - tasks < 50, "an assignee expression opened a flood of tasks");
        await RestoreAsync(analyst, $"{Attack.LabApi}/flows/case_flow", Attack.LabPackage()["flows"]![0]!);
        foreach (var payload in Escapes)
        {
            await TryAsync(analyst, "rule condition", payload, $"{Attack.LabApi}/rules/evil", Rule(payload, "'x'"), 2, dryRun: true);
            await TryAsync(analyst, "rule value", payload, $"{Attack.LabApi}/rules/evil", Rule("true", payload), 2, dryRun: true);
        }

        // Report parameter and filter values are data, never code.
        using var cs01 = await platform.ClientForAsync("cs01");
        foreach (var payload in Escapes.Concat(MoreEscapes))
        {
            foreach (var url in new[] { $"{Attack.LabApi}/reports/cases_by_status/data?title={Uri.EscapeDataString(payload)}", $"{Attack.LabApi}/reports/cases_by_status/data?filter=title:eq:{Uri.EscapeDataString(payload)}" })
            {
                var response = await cs01.GetAsync(url);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity))
                {
                    failures.Add($"report {payload}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(await Attack.ScalarAsync<int>(platform, "select coalesce(max(length(data::text)), 0) from records where app_key = $1", Attack.Lab) < 100_000, "a huge value was stored");
        Assert.Equal(HttpStatusCode.OK, (await platform.Anonymous().GetAsync("/healthz")).StatusCode);
    }

    private async Task RestoreAsync(HttpClient analyst, string url, JsonNode definition) =>
        Assert.Equal(HttpStatusCode.OK, (await analyst.PutAsJsonAsync(url, definition)).StatusCode);

    /// <summary>Publishes the definition; when accepted, creates a case that runs the expression (and dry-runs a rule), then a normal request.</summary>
    private async Task TryAsync(HttpClient analyst, string site, string payload, string url, JsonObject definition, int score, bool dryRun = false)
    {
        var what = $"{site} «{payload}»";
        var published = await analyst.PutAsJsonAsync(url, definition);
        var text = await published.Content.ReadAsStringAsync();
        if (published.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            if (JsonNode.Parse(text)?["errors"] is not JsonObject { Count: > 0 })
            {
                failures.Add($"{what}: publish 422 without a path: {text}");
            }

            return;
        }

        if (published.StatusCode != HttpStatusCode.OK)
        {
            failures.Add($"{what}: publish {(int)published.StatusCode} {text}");
            return;
        }

        using var cs01 = await platform.ClientForAsync("cs01");
        var runs = new List<Func<Task<HttpResponseMessage>>>
        {
            () => cs01.PostAsJsonAsync(Cases, Attack.Body(new JsonObject { ["title"] = "脚本测试", ["score"] = score, ["note"] = "n", ["extra"] = "e" })),
        };
        if (dryRun)
        {
            runs.Add(() => analyst.PostAsJsonAsync($"{Attack.LabApi}/rules/evil/dry-run", new { data = new { title = "脚本测试", score } }));
        }

        foreach (var run in runs)
        {
            var watch = Stopwatch.StartNew();
            var response = await run();
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity))
            {
                failures.Add($"{what}: run {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(10) || body.Length > 100_000)
            {
                failures.Add($"{what}: run took {watch.Elapsed.TotalSeconds:0.0} s and answered {body.Length} characters");
            }
        }

        var normal = await cs01.GetAsync($"{Cases}?pageSize=1");
        if (normal.StatusCode != HttpStatusCode.OK)
        {
            failures.Add($"{what}: the next normal request got {(int)normal.StatusCode}");
        }
    }
}
