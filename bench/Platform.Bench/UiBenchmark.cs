using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Platform.Bench;

/// <summary>
/// The UI's server costs, on the Release runtime as its own process: the server render time of a 30-field generated form
/// (the prerendered HTML of <c>/apps/ui_bench/records/site_visit/new</c>, against the static login page in the same run), and
/// the managed memory an idle circuit holds (N tabs of Debian's chromium on the home page and on the 30-field form,
/// the heap measured after full collections with no tab open and with N open).
/// </summary>
internal static class UiBenchmark
{
    private const string AdminPassword = "bench-admin-1";
    private const string FormPath = "/apps/ui_bench/records/site_visit/new";

    public static async Task<int> RunAsync(int tabs, int renders)
    {
        await using var runtime = await BenchRuntime.StartAsync("--Platform:AdminPassword", AdminPassword, "--Platform:BenchEndpoints", "true");
        if (runtime is null)
        {
            return 1;
        }

        var token = await ApiCreateBenchmark.LoginAsync(runtime.Address, "admin", AdminPassword);
        using var admin = new HttpClient { BaseAddress = runtime.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var package = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SampleFiles.RepositoryRoot, "bench", "Platform.Bench", "ui-bench-app.json")))!;
        (await admin.PostAsJsonAsync("/api/apps/import", package)).EnsureSuccessStatusCode();

        Console.WriteLine($"## UI — {DateTime.UtcNow:yyyy-MM-dd}, one `-- ui {tabs} {renders}` run ({Environment.ProcessorCount} cores)");
        Console.WriteLine();

        // 1. Server render of the 30-field form: the prerendered page, alternating with the static login page.
        var form = new List<double>();
        var login = new List<double>();
        using var anonymous = new HttpClient { BaseAddress = runtime.Address };
        for (var i = -5; i < renders; i++)
        {
            var watch = Stopwatch.StartNew();
            var html = System.Net.WebUtility.HtmlDecode(await admin.GetStringAsync(FormPath));
            var formMs = watch.Elapsed.TotalMilliseconds;
            if (!html.Contains("合计费用", StringComparison.Ordinal) || !html.Contains("回访日期", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The prerendered page does not contain the form's fields; the render time would mean nothing.");
            }

            watch.Restart();
            await anonymous.GetStringAsync("/login");
            var loginMs = watch.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                form.Add(formMs);
                login.Add(loginMs);
            }
        }

        Console.WriteLine("| measure | target | p50 ms | p95 ms |");
        Console.WriteLine("|---|---|---:|---:|");
        Console.WriteLine($"| server render of the 30-field form (GET {FormPath}, prerendered, {renders} runs) | ≤ 200 ms | {P(form, 0.5):0.0} | {P(form, 0.95):0.0} |");
        Console.WriteLine($"| the static login page, same run | — | {P(login, 0.5):0.0} | {P(login, 0.95):0.0} |");
        Console.WriteLine();

        // 2. Memory per idle circuit.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = runtime.Address.ToString(), Locale = "zh-CN" });
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/login");
        await signIn.FillAsync("#userName", "admin");
        await signIn.FillAsync("#password", AdminPassword);
        await signIn.ClickAsync("button[type=submit]");
        await signIn.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
        await signIn.CloseAsync();

        Console.WriteLine("| idle circuits | target | tabs | heap before MB | heap with tabs MB | per circuit KB | working set per circuit KB |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, path) in new[] { ("customer tracking page `/track` (minimal layout)", "/track"), ("home page `/`", "/"), ("30-field form", FormPath) })
        {
            var before = await MemoryAsync(admin, 0);
            await HoldAsync(runtime, path, "before");
            var pages = new List<IPage>();
            for (var i = 0; i < tabs; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                pages.Add(page);
            }

            await MemoryAsync(admin, tabs);
            await Task.Delay(5_000);
            var after = await MemoryAsync(admin, tabs);
            await HoldAsync(runtime, path, "tabs");
            var perCircuit = (after.Managed - before.Managed) / tabs / 1024.0;
            var perCircuitWs = (after.WorkingSet - before.WorkingSet) / tabs / 1024.0;
            Console.WriteLine($"| {name} | ≤ 350 KB | {tabs} | {before.Managed / 1048576.0:0.0} | {after.Managed / 1048576.0:0.0} | **{perCircuit:0}** | {perCircuitWs:0} |");
            foreach (var page in pages)
            {
                await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
            }
        }

        Console.WriteLine();
        return 0;
    }

    /// <summary>The runtime's heap after full collections, once the wanted number of circuits is open (waits up to 60 s).</summary>
    private static async Task<(long Managed, long WorkingSet)> MemoryAsync(HttpClient admin, int circuits)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var memory = await admin.GetFromJsonAsync<JsonObject>("/api/bench/memory");
            var open = memory!["circuits"]!.GetValue<int>();
            if (open == circuits || DateTime.UtcNow > deadline)
            {
                if (open != circuits)
                {
                    Console.Error.WriteLine($"  {open} circuits open where {circuits} were expected");
                }

                return (memory["managedBytes"]!.GetValue<long>(), memory["workingSetBytes"]!.GetValue<long>());
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// With <c>UIBENCH_HOLD=&lt;file&gt;</c>: writes "pid page stage" to the file and waits until it is deleted, so a heap dump
    /// can be taken (bench/HeapStat: <c>dump &lt;pid&gt; &lt;file&gt;</c>) with no tab open and with the idle tabs.
    /// </summary>
    private static async Task HoldAsync(BenchRuntime runtime, string page, string stage)
    {
        if (Environment.GetEnvironmentVariable("UIBENCH_HOLD") is not { Length: > 0 } hold)
        {
            return;
        }

        await File.WriteAllTextAsync(hold, $"{runtime.ProcessId} {page} {stage}");
        while (File.Exists(hold))
        {
            await Task.Delay(200);
        }
    }

    private static double P(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
