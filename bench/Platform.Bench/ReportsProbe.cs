using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using Platform.Core.Reports;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Hosting;

namespace Platform.Bench;

/// <summary>
/// Diagnosis on a cluster the reports bench holds (<c>REPBENCH_HOLD=&lt;file&gt;</c>): <c>reports-probe &lt;file&gt; [reps]</c>. The
/// raw dashboard three ways at 1–4 widgets at once — through <see cref="ReportService.DashboardAsync"/>, the engine's compiled
/// SQL run directly, and the hand-written twins — alternating, and the twins with fewer parallel workers per query.
/// </summary>
public static class ReportsProbe
{
    public static async Task<int> RunAsync(string holdFile, int reps, string? pgData = null, bool pairs = true)
    {
        var meter = pgData is null ? null : new CpuMeter(Environment.ProcessId, pgData);
        var connectionString = (await File.ReadAllTextAsync(holdFile)).Trim();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, MaxPoolSize = 32, CommandTimeout = 0 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var catalog = new AppCatalog(dataSource, TimeProvider.System);
        var app = (await catalog.GetAsync(TicketData.App, CancellationToken.None))!;
        var dashboard = app.FindDashboard("service_overview")!;
        var rawApp = app with { Reports = app.Reports.Select(r => r with { Rollup = false }).ToList() };
        var rollups = new ReportRollups(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReportRollups>.Instance);
        var projections = new ReportProjections(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReportProjections>.Instance);
        var shape = (await projections.ReadyAsync(rawApp, TicketData.Entity, CancellationToken.None))!;
        var reports = dashboard.Widgets.Select(w => rawApp.FindReport(w.Report)!).ToList();
        var now = DateTimeOffset.UtcNow;
        var start = ReportPeriod.Start("12m", now);
        var args = new Dictionary<string, object?> { ["start"] = start.ToUniversalTime() };
        var twins = ReportTwins.Projected(shape.Table);
        var compiled = reports.Select(r => ReportSqlCompiler.Compile(rawApp, r, ReportRequest.Empty(now), shape)).ToList();
        for (var i = 0; i < reports.Count; i++)
        {
            Console.WriteLine($"-- {reports[i].Key}\n{compiled[i].Sql}\n   params: {string.Join(", ", compiled[i].Parameters.Select(p => $"{p.Key}={p.Value} ({p.Value?.GetType().Name})"))}");
        }

        var combined = ReportSqlCompiler.CompileCombined(rawApp, reports.Select(r => (r, ReportRequest.Empty(now))).ToList(), shape)!;
        Console.WriteLine($"-- combined\n{combined.Sql}\n   params: {string.Join(", ", combined.Parameters.Select(p => $"{p.Key}={p.Value} ({p.Value?.GetType().Name})"))}");
        var compileWatch = Stopwatch.StartNew();
        for (var k = 0; k < 100; k++)
        {
            foreach (var r in reports)
            {
                ReportSqlCompiler.Compile(rawApp, r, ReportRequest.Empty(now), shape);
            }
        }

        Console.WriteLine($"compile of the nine: {compileWatch.Elapsed.TotalMilliseconds / 100:0.00} ms");
        await using (var connection = pairs ? await dataSource.OpenConnectionAsync() : null)
        {
            for (var n = 0; pairs && n < reports.Count; n++)
            {
                var c = new List<double>();
                var h = new List<double>();
                for (var i = -1; i < 7; i++)
                {
                    for (var k = 0; k < 2; k++)
                    {
                        var watch = Stopwatch.StartNew();
                        if ((i + k) % 2 == 0)
                        {
                            await ReportService.QueryAsync(connection!, compiled[n].Sql, compiled[n].Parameters, CancellationToken.None);
                            if (i >= 0) c.Add(watch.Elapsed.TotalMilliseconds);
                        }
                        else
                        {
                            await ReportService.QueryAsync(connection!, twins[reports[n].Key], args, CancellationToken.None);
                            if (i >= 0) h.Add(watch.Elapsed.TotalMilliseconds);
                        }
                    }
                }

                c.Sort();
                h.Sort();
                Console.WriteLine($"projection {reports[n].Key}: compiled p50 {c[c.Count / 2]:0.0} min {c[0]:0.0}; hand p50 {h[h.Count / 2]:0.0} min {h[0]:0.0}; ratio p50 {c[c.Count / 2] / h[h.Count / 2]:0.00} min {c[0] / h[0]:0.00}");
            }
        }

        if (pairs)
        {
            await RollupPairsAsync(dataSource, app, reports, now, start, reps);
        }
        var noFilters = new Dictionary<string, string>();
        var services = new[] { 1, 2, 3, 4, 6, 9 }.ToDictionary(p => p, p => new ReportService(dataSource, rollups, projections, TimeProvider.System, new PlatformSettings { Reports = new ReportSettings { DashboardParallelism = p } }));

        var variants = new List<(string Name, Func<Task> Run)>();
        var settingsList = (Environment.GetEnvironmentVariable("PROBE_P") ?? "1,2,3,4").Split(',').Select(int.Parse).ToArray();
        var workerList = (Environment.GetEnvironmentVariable("PROBE_W") ?? "1:0,2:0,2:1,3:0,4:0,4:1").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => (int.Parse(x.Split(':')[0]), int.Parse(x.Split(':')[1]))).ToArray();
        foreach (var p in settingsList)
        {
            variants.Add(($"engine P={p}", () => services[p].DashboardAsync(rawApp, dashboard, noFilters, CancellationToken.None)));
            variants.Add(($"compiled SQL P={p}", () => Many(dataSource, compiled.Select(c => (c.Sql, c.Parameters)).ToList(), p, null)));
            variants.Add(($"hand P={p}", () => Many(dataSource, reports.Select(r => (twins[r.Key], (IReadOnlyDictionary<string, object?>)args)).ToList(), p, null)));
        }

        variants.Add(("combined SQL", () => Many(dataSource, [(combined.Sql, combined.Parameters)], 1, null, true)));
        variants.Add(("hand combined", () => Many(dataSource, [(ReportTwins.ProjectedDashboard(shape.Table), args)], 1, null, true)));
        foreach (var (p, w) in workerList)
        {
            variants.Add(($"hand P={p} workers={w}", () => Many(dataSource, reports.Select(r => (twins[r.Key], (IReadOnlyDictionary<string, object?>)args)).ToList(), p, w)));
            variants.Add(($"compiled SQL P={p} workers={w}", () => Many(dataSource, compiled.Select(c => (c.Sql, c.Parameters)).ToList(), p, w)));
        }

        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var cpu = variants.ToDictionary(v => v.Name, _ => new List<(double Client, double Postgres)>());
        for (var i = -1; i < reps; i++)
        {
            // Rotate the order each round so no variant always follows the same one.
            for (var k = 0; k < variants.Count; k++)
            {
                var (name, run) = variants[(k + Math.Max(i, 0) * 5) % variants.Count];
                var before = meter?.Now() ?? default;
                var watch = Stopwatch.StartNew();
                await run();
                var after = meter?.Now() ?? default;
                if (i >= 0)
                {
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                    cpu[name].Add((after.Runtime - before.Runtime, after.Postgres - before.Postgres));
                }
            }

            Console.WriteLine($"round {i} done; {File.ReadAllText("/proc/loadavg").Trim()}");
        }

        Console.WriteLine("| variant | p50 ms | min ms | max ms | client CPU ms (mean) | postgres CPU ms (mean) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, list) in times)
        {
            var sorted = list.Order().ToList();
            Console.WriteLine($"| {name} | {sorted[sorted.Count / 2]:0} | {sorted[0]:0} | {sorted[^1]:0} | {cpu[name].Average(c => c.Client):0} | {cpu[name].Average(c => c.Postgres):0} |");
        }

        return 0;
    }

    /// <summary>The rollup and projection queries of status_mix and priority_amounts against their twins, 40 alternations each on one connection.</summary>
    private static async Task RollupPairsAsync(NpgsqlDataSource dataSource, Platform.Core.Metadata.AppDefinition app, List<Platform.Core.Reports.Definitions.ReportDefinition> reports, DateTimeOffset now, DateTimeOffset start, int reps)
    {
        var startMonth = start.Day == 1 ? start.Date : new DateTime(start.Year, start.Month, 1).AddMonths(1);
        var args = new Dictionary<string, object?>
        {
            ["start"] = start.ToUniversalTime(),
            ["startDay"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["startMonth"] = startMonth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var report in reports)
        {
            var compiled = ReportRollups.CompileQuery(app, report, ReportRequest.Empty(now))!;
            if (report.Key is "status_mix" or "priority_amounts")
            {
                Console.WriteLine($"-- rollup {report.Key}\n{compiled.Sql}\n   params: {string.Join(", ", compiled.Parameters.Select(p => $"{p.Key}={p.Value} ({p.Value?.GetType().Name})"))}");
            }

            var c = new List<double>();
            var h = new List<double>();
            for (var i = -2; i < 40; i++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var watch = Stopwatch.StartNew();
                    if ((i + k) % 2 == 0)
                    {
                        await ReportService.QueryAsync(connection, compiled.Sql, compiled.Parameters, CancellationToken.None);
                        if (i >= 0) c.Add(watch.Elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        await ReportService.QueryAsync(connection, ReportTwins.Rollup[report.Key], args, CancellationToken.None);
                        if (i >= 0) h.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
            }

            c.Sort();
            h.Sort();
            Console.WriteLine($"rollup {report.Key}: compiled p50 {c[c.Count / 2]:0.00} min {c[0]:0.00}; hand p50 {h[h.Count / 2]:0.00} min {h[0]:0.00}; ratio p50 {c[c.Count / 2] / h[h.Count / 2]:0.00} min {c[0] / h[0]:0.00}");
        }
    }

    private static async Task Many(NpgsqlDataSource dataSource, List<(string Sql, IReadOnlyDictionary<string, object?> Parameters)> queries, int parallelism, int? workers, bool combined = false)
    {
        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(queries.Select(async q =>
        {
            await gate.WaitAsync();
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                if (workers is { } w)
                {
                    await connection.ExecuteAsync($"set max_parallel_workers_per_gather = {w.ToString(CultureInfo.InvariantCulture)}");
                }

                await ReportService.QueryAsync(connection, q.Sql, q.Parameters, CancellationToken.None, combined);
                if (workers is not null)
                {
                    await connection.ExecuteAsync("reset max_parallel_workers_per_gather");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
