using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Bench;

/// <summary>
/// The overhead of 20 enabled rules on a record save: one client saves customers one after another with no rule on
/// the entity, with 20 enabled rules whose conditions are all false, and with 20 of which 2 fire an in-app
/// notification, alternating twice, and compares the median latencies of the same save in the same run.
/// </summary>
public static class RulesBenchmark
{
    private const string CreatePath = "/api/apps/after_sales/entities/customer/records";

    public static async Task<int> RunAsync(int saves)
    {
        await using var runtime = await BenchRuntime.StartAsync();
        if (runtime is null)
        {
            return 1;
        }

        using var admin = new HttpClient { BaseAddress = runtime.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiCreateBenchmark.LoginAsync(runtime.Address, "admin", "demo1234"));
        using var client = new HttpClient { BaseAddress = runtime.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiCreateBenchmark.LoginAsync(runtime.Address));

        Console.WriteLine($"Warming up…");
        await SavesAsync(client, saves / 2);
        var off = new List<double>();
        var quiet = new List<double>();
        var on = new List<double>();
        for (var round = 0; round < 2; round++)
        {
            await PublishAsync(admin, enabled: false, firing: 0);
            off.AddRange(await SavesAsync(client, saves));
            await PublishAsync(admin, enabled: true, firing: 0);
            quiet.AddRange(await SavesAsync(client, saves));
            await PublishAsync(admin, enabled: true, firing: 2);
            on.AddRange(await SavesAsync(client, saves));
        }

        await PublishAsync(admin, enabled: false, firing: 0);
        var (offMedian, quietMedian, onMedian) = (Percentile(off, 0.5), Percentile(quiet, 0.5), Percentile(on, 0.5));
        Console.WriteLine();
        Console.WriteLine($"| {"save of one customer (1 client, sequential)",-46} | {"p50 ms",7} | {"p95 ms",7} | {"saves",6} |");
        Console.WriteLine($"|{new string('-', 48)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 8)}|");
        Console.WriteLine($"| {"no rules on the entity",-46} | {offMedian,7:0.00} | {Percentile(off, 0.95),7:0.00} | {off.Count,6} |");
        Console.WriteLine($"| {"20 enabled rules, all conditions false",-46} | {quietMedian,7:0.00} | {Percentile(quiet, 0.95),7:0.00} | {quiet.Count,6} |");
        Console.WriteLine($"| {"20 enabled rules, 2 fire a notification",-46} | {onMedian,7:0.00} | {Percentile(on, 0.95),7:0.00} | {on.Count,6} |");
        Console.WriteLine();
        Console.WriteLine($"added at the median: {quietMedian - offMedian:0.00} ms by 20 evaluated rules (target ≤ 1 ms), {onMedian - offMedian:0.00} ms when 2 of them fire");
        return 0;
    }

    private static async Task PublishAsync(HttpClient admin, bool enabled, int firing)
    {
        for (var i = 0; i < 20; i++)
        {
            var fires = i >= 20 - firing;
            var rule = new JsonObject
            {
                ["key"] = $"bench_rule_{i:00}", ["name"] = $"基准规则 {i}", ["entity"] = "customer", ["enabled"] = enabled, ["priority"] = i,
                ["trigger"] = new JsonObject { ["type"] = "record.created" },
                ["condition"] = fires ? "name != null && phone != null" : $"tier == 'vip' && region == 'west' && len(name) > {100 + i}",
                ["actions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "notify", ["to"] = new JsonObject { ["users"] = new JsonArray("sup01") }, ["title"] = $"新客户 {{{{name}}}} ({i})",
                }),
            };
            using var response = await admin.PutAsJsonAsync($"/api/apps/after_sales/rules/{rule["key"]}", rule);
            response.EnsureSuccessStatusCode();
        }

        // The runtime revalidates its cached app definition every 2 s.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
    }

    private static async Task<List<double>> SavesAsync(HttpClient client, int count)
    {
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var body = new { data = new { name = $"基准客户{i}", phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}", region = "east", tier = "regular", address = "上海市浦东新区世纪大道 100 号" } };
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsJsonAsync(CreatePath, body);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }

        return latencies;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
