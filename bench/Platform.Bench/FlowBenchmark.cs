using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Bench;

/// <summary>
/// Task actions (approve → next step) per second over HTTP with 8 clients, against the same writes sent as one
/// pipelined transaction per action by plain Npgsql, in one run; then 10,000 pending deadline timers and their
/// fire delay (fired_at − due_at, from timer_firings).
/// </summary>
public static class FlowBenchmark
{
    private const int Clients = 8;

    // Enough approvals for the runtime's tiered JIT to settle (tier-1 code for the whole path), so the phases measure the
    // steady state: with 400 the JIT still took over a quarter of the runtime's CPU during the measured phase.
    private const int Warmup = 2000;

    // FLOWBENCH_WRK_CLIENTS: the wrk phase's connections (8, as the issue names, unless told), to see latency at 1 or throughput at 16.
    private static readonly int WrkClients = int.TryParse(Environment.GetEnvironmentVariable("FLOWBENCH_WRK_CLIENTS"), out var c) && c > 0 ? c : Clients;
    private const string AdminPassword = "bench-admin-1";

    // FLOWBENCH_ROUNDS: after the phases, this many rounds of pgbench and wrk alternating (3 s each), so both sides of the ratio
    // see the same minutes of a shared machine whose speed drifts (pgbench alone swung 3,700–8,200 tps within 15 minutes).
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("FLOWBENCH_ROUNDS"), out var r) && r >= 0 ? r : 3;

    // The writes of one approval (instance, the task closed and the next opened, two history rows, a notification) as one
    // pipelined transaction, on copies the plain phase made.
    private const string PlainScript = """
    \set n random(0, 999)
    \startpipeline
    update flow_instances set state = (select state from bench_state), row_version = row_version + 1 where id = (select id from bench_plain_ids where n = :n);
    update flow_tasks set status = 'open', closed_at = now(), closed_by = 'cs01', action = 'approve' where id = (select id from bench_plain_ids where n = :n);
    insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, status, created_at) select gen_random_uuid(), id, 'after_sales', 'customer', id, 'b', 'b', 'bench', 'approval', 'cs01', 'bench', now() from bench_plain_ids where n = :n;
    insert into flow_history (instance_id, seq, step, action, by, at) values (gen_random_uuid(), 1, 'a', 'approve', 'cs01', now());
    insert into flow_history (instance_id, seq, step, action, by, at) values (gen_random_uuid(), 2, 'b', 'enter', 'system', now());
    insert into notifications (user_name, kind, title, link, instance_id, task_id, created_at) select 'cs01', 'task', 'bench', '/x', id, gen_random_uuid(), now() from bench_plain_ids where n = :n;
    \endpipeline
    """;

    public static async Task<int> RunAsync(int actions, int timers)
    {
        await using var runtime = await BenchRuntime.StartAsync("--Platform:AdminPassword", AdminPassword, "--Platform:BenchEndpoints", "true");
        if (runtime is null)
        {
            return 1;
        }

        var address = runtime.Address;
        var connectionString = runtime.ConnectionString;
        var adminToken = await ApiCreateBenchmark.LoginAsync(address, "admin", AdminPassword);
        var token = await ApiCreateBenchmark.LoginAsync(address);
        await using var data = NpgsqlDataSource.Create(connectionString + ApiCreateBenchmark.BaselineSettings);
        diagnostics = data;
        await PublishAsync(address, adminToken, "bench_flow", "address == 'flowbench'", """
            { "key": "a", "type": "approval", "assignees": { "users": ["cs01"] } }, { "key": "b", "type": "approval", "assignees": { "users": ["cs01"] } }
            """, """{ "from": "start", "to": "a" }, { "from": "a", "to": "b" }, { "from": "b", "to": "done" }""");
        await PublishAsync(address, adminToken, "bench_timer", "address == 'timerbench'", """
            { "key": "w", "type": "approval", "assignees": { "users": ["fin01"] }, "deadline": { "minutes": 0.5, "businessTime": false, "action": "auto-approve" } }
            """, """{ "from": "start", "to": "w" }, { "from": "w", "to": "done" }""");

        Console.WriteLine($"Creating {actions} flow instances…");
        await CreateAsync(address, token, actions + Warmup, "flowbench");
        var tasks = new ConcurrentQueue<Guid>(await IdsAsync(data, "select id from flow_tasks where status = 'open' and step = 'a' order by created_at"));
        await SettleAsync(data);
        var warm = Enumerable.Range(0, Warmup).Select(_ => tasks.TryDequeue(out var t) ? t : Guid.Empty).ToList();
        await ActAsync(address, token, new ConcurrentQueue<Guid>(warm));
        var plainWarm = await PlainAsync(data, Warmup);

        var cpu = runtime.Cpu;
        var cpuStart = cpu.Now();
        var api = await ActAsync(address, token, tasks);
        var cpuApi = cpu.Now();
        var plain = await PlainAsync(data, api.Latencies.Count);
        var cpuPlain = cpu.Now();
        _ = plainWarm;
        Console.WriteLine();
        Console.WriteLine($"| {"measure",-52} | {"rate/s",9} | {"p50 ms",7} | {"p99 ms",7} |");
        Console.WriteLine($"|{new string('-', 54)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|");
        Console.WriteLine(plain.Row("plain: same writes, one pipelined transaction").Replace("| plain", "| plain", StringComparison.Ordinal));
        Console.WriteLine(api.Row("POST /api/tasks/{id}/actions approve → next step"));
        Console.WriteLine($"task action / plain = {api.Rate / plain.Rate:P0} (target ≥ 60%), p99 = {api.P99:0.0} ms (target ≤ 50 ms)");
        Console.WriteLine($"  HttpClient actions: {CpuMeter.PerRequest(cpuStart, cpuApi, api.Latencies.Count)}; plain batch: {CpuMeter.PerRequest(cpuApi, cpuPlain, plain.Latencies.Count)}");
        double? pgbench = null;
        if (PgbenchPhase.Binary is not null)
        {
            // The same six writes as one pipelined transaction sent by pgbench (a native client), on the plain phase's copies.
            await ScalarAsync(data, """
                drop table if exists bench_plain_ids, bench_state;
                create table bench_plain_ids as select row_number() over (order by id) - 1 as n, id from flow_instances where flow_key = 'bench_plain' limit 1000;
                create unique index on bench_plain_ids (n);
                create table bench_state as select state from flow_instances where flow_key = 'bench_flow' limit 1;
                select 0
                """);
            var cpuBefore = cpu.Now();
            var (tps, latency) = await PgbenchPhase.RunAsync(connectionString, PlainScript, TimeSpan.FromSeconds(5), WrkClients);
            pgbench = tps;
            Console.WriteLine($"| {"pgbench: same writes, one pipelined transaction",-46} | {tps,9:0} | {latency,7:0.00} |   (mean) |");
            Console.WriteLine($"  pgbench: {CpuMeter.PerRequest(cpuBefore, cpu.Now(), tps * 5)}");
            Console.WriteLine($"task action / pgbench = {api.Rate / tps:P0} (HttpClient load)");
        }

        if (WrkPhase.Available)
        {
            // The same actions sent by wrk (a native client) on fresh instances: three times as many as the HttpClient phase had, so the
            // phase lasts several seconds at wrk's higher rate; long enough to use most ids, never all.
            await CreateAsync(address, token, 3 * actions, "flowbench");
            var fresh = await OpenApprovalsAsync(data, since: null);
            await SettleAsync(data);
            var seconds = Math.Clamp((int)(fresh.Count / (api.Rate * 3)), 2, 10);
            var commitsBefore = await CommitsAsync(data);
            var byProcess = cpu.PostgresByProcess();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var cpuBefore = cpu.Now();
            using var perf = Profile(runtime);
            var wrk = await WrkApprovalsAsync(address, token, fresh, seconds);
            var cpuAfter = cpu.Now();
            var busiest = CpuMeter.Busiest(byProcess, cpu.PostgresByProcess(), clock.Elapsed.TotalMilliseconds);
            perf?.Stop();
            await Task.Delay(1200);
            var commits = await CommitsAsync(data) - commitsBefore;
            var done = await ScalarAsync(data, "select count(*) from flow_tasks where status = 'done' and step = 'a'");
            Console.WriteLine(wrk.Row($"same, sent by wrk -c{WrkClients} (native client)"));
            Console.WriteLine($"wrk: task action / plain = {wrk.Rate / plain.Rate:P0}{(pgbench is { } p ? $", / pgbench = {wrk.Rate / p:P0}" : string.Empty)} (target ≥ 60%), p99 = {wrk.P99:0.0} ms; {fresh.Count} ids for {seconds} s, non-2xx = {wrk.Errors}, approved in all = {done}");
            Console.WriteLine($"  wrk actions: {CpuMeter.PerRequest(cpuBefore, cpuAfter, wrk.Rate * seconds)}; busiest PostgreSQL processes {busiest} of a core; {wrk.Rate * seconds / Math.Max(1, commits):0.0} actions per commit");
        }

        if (Rounds > 0 && WrkPhase.Available && PgbenchPhase.Binary is not null)
        {
            await AlternateAsync(runtime, address, token, data, connectionString, 2 * actions);
        }

        if (Environment.GetEnvironmentVariable("FLOWBENCH_HOLD") is { Length: > 0 } hold)
        {
            // For experiments on the loaded cluster (pgbench scripts, EXPLAIN, log_statement): it stays up until the file is deleted.
            await File.WriteAllTextAsync(hold, $"{connectionString}\n{address}\n{token}\n");
            Console.WriteLine($"Holding the runtime and cluster until {hold} is deleted…");
            while (File.Exists(hold))
            {
                await Task.Delay(1000);
            }
        }

        if (timers == 0)
        {
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine($"Creating {timers} instances with a deadline 30 s after creation…");
        var created = Stopwatch.StartNew();
        await CreateAsync(address, token, timers, "timerbench");
        Console.WriteLine($"  created in {created.Elapsed.TotalSeconds:0.0} s; waiting for every timer to fire");
        var wait = Stopwatch.StartNew();
        long fired = 0;
        while (wait.Elapsed < TimeSpan.FromSeconds(180))
        {
            fired = await ScalarAsync(data, "select count(*) from timer_firings f join flow_instances i on i.id = f.instance_id where i.flow_key = 'bench_timer'");
            if (fired >= timers)
            {
                break;
            }

            await Task.Delay(500);
        }

        await using var cmd = data.CreateCommand("""
            select percentile_cont(0.5) within group (order by extract(epoch from f.fired_at - f.due_at)),
                   percentile_cont(0.99) within group (order by extract(epoch from f.fired_at - f.due_at)),
                   max(extract(epoch from f.fired_at - f.due_at))
            from timer_firings f join flow_instances i on i.id = f.instance_id where i.flow_key = 'bench_timer'
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"timers fired: {fired}/{timers}; fire delay p50 = {reader.GetDouble(0):0.000} s, p99 = {reader.GetDouble(1):0.000} s (target ≤ 2 s), max = {reader.GetDouble(2):0.000} s");
        return 0;

    }

    /// <summary>
    /// With <c>FLOWBENCH_PERF=&lt;file&gt;</c>: <c>perf record -g</c> of the runtime and the cluster's backends during the wrk
    /// phase (run the bench with <c>DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0</c> so the runtime's JIT frames have names).
    /// </summary>
    private static PerfRecording? Profile(BenchRuntime runtime) =>
        Environment.GetEnvironmentVariable("FLOWBENCH_PERF") is { Length: > 0 } file ? PerfRecording.Start(file, [runtime.ProcessId, .. runtime.Cpu.PostgresPids()]) : null;

    /// <summary>
    /// <see cref="Rounds"/> rounds of pgbench then wrk, 3 s each, on fresh instances: each round's ratio, and all wrk actions over
    /// all pgbench transactions.
    /// </summary>
    private static async Task AlternateAsync(BenchRuntime runtime, Uri address, string token, NpgsqlDataSource data, string connectionString, int perRound)
    {
        const int seconds = 3;
        Console.WriteLine();
        Console.WriteLine($"Alternating rounds: {perRound} new instances, then pgbench {seconds} s, then wrk -c{WrkClients} {seconds} s on them");
        Console.WriteLine($"| round | pgbench tps | wrk action/s | wrk / pgbench | wrk p99 ms | CPU per action, runtime + PostgreSQL | runtime GC: gen0/1/2, paused |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|---|");
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var cpu = runtime.Cpu;
        double pgbenchSum = 0, wrkSum = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // Each round on instances created just before it, as the wrk phase's are (so this node's cache holds them as it would).
            var since = await ScalarTextAsync(data, "select now()::text");
            await CreateAsync(address, token, perRound, "flowbench");
            var fresh = await OpenApprovalsAsync(data, since);
            await SettleAsync(data);
            var (tps, _) = await PgbenchPhase.RunAsync(connectionString, PlainScript, TimeSpan.FromSeconds(seconds), WrkClients);

            // pgbench's rows vacuumed now, not by autovacuum during the wrk phase.
            await SettleAsync(data);
            var gcBefore = await GcAsync(http);
            var before = cpu.Now();
            var wrk = await WrkApprovalsAsync(address, token, fresh, seconds);
            var after = cpu.Now();
            var gcAfter = await GcAsync(http);
            var gc = gcBefore is null || gcAfter is null ? "—" : $"{Delta("gen0"):0}/{Delta("gen1"):0}/{Delta("gen2"):0}, {Delta("pauseMs"):0} ms";
            double Delta(string key) => gcAfter![key]!.GetValue<double>() - gcBefore![key]!.GetValue<double>();
            pgbenchSum += tps;
            wrkSum += wrk.Rate;
            var exhausted = wrk.Rate * seconds >= fresh.Count * 0.95 ? " (ran out of ids)" : string.Empty;
            Console.WriteLine($"| {round + 1} | {tps:0} | {wrk.Rate:0} | {wrk.Rate / tps:P0}{exhausted} | {wrk.P99:0.0} | {CpuMeter.PerRequest(before, after, wrk.Rate * seconds)} | {gc} |");
        }

        Console.WriteLine($"alternating: task action / pgbench = {wrkSum / pgbenchSum:P0} over {Rounds} rounds (target ≥ 60%)");
    }

    /// <summary>The runtime's GC collections and pause time so far; null from a build without <c>/api/bench/gc</c> (an older one under <c>REPBENCH_RUNTIME_DLL</c>).</summary>
    private static async Task<JsonObject?> GcAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/api/bench/gc");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    /// <summary>The open first-step tasks of running bench_flow instances (those created after <paramref name="since"/>), oldest first.</summary>
    private static async Task<List<string>> OpenApprovalsAsync(NpgsqlDataSource data, string? since) =>
        (await IdsAsync(data, $"""
            select t.id from flow_tasks t join flow_instances i on i.id = t.instance_id
            where t.status = 'open' and t.step = 'a' and i.flow_key = 'bench_flow' and i.status = 'running'{(since is null ? string.Empty : $" and t.created_at > '{since}'::timestamptz")}
            order by t.created_at
            """)).Select(g => g.ToString()).ToList();

    /// <summary>wrk approving each of <paramref name="ids"/> once, for <paramref name="seconds"/>.</summary>
    private static async Task<WrkResult> WrkApprovalsAsync(Uri address, string token, List<string> ids, int seconds)
    {
        var file = Path.Combine(Path.GetTempPath(), $"platform-tasks-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, ids);
        try
        {
            return await WrkPhase.RunAsync(address, WrkPhase.TaskActions(file, token, """{"action":"approve"}"""), WrkClients, TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task PublishAsync(Uri address, string token, string key, string when, string steps, string transitions)
    {
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var flow = JsonNode.Parse($$"""
            { "key": "{{key}}", "name": "{{key}}", "entity": "customer", "startWhen": "{{when}}",
              "steps": [ { "key": "start", "type": "start" }, {{steps}}, { "key": "done", "type": "end" } ], "transitions": [ {{transitions}} ] }
            """);
        (await client.PutAsJsonAsync($"/api/apps/after_sales/flows/{key}", flow)).EnsureSuccessStatusCode();
    }

    private static async Task CreateAsync(Uri address, string token, int count, string tag)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var body = new { data = new { name = $"流程压测{n}", phone = $"13{c:00}{n % 10_000_000:0000000}", region = "east", tier = "regular", address = tag } };
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await client.PostAsJsonAsync("/api/apps/after_sales/entities/customer/records", body);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    // On a saturated shared machine a start condition can overrun the expression engine's time limit: try again.
                    var text = await response.Content.ReadAsStringAsync();
                    if (attempt == 3 || !text.Contains("took longer", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {text}");
                    }
                }
            }
        }));
    }

    private static NpgsqlDataSource? diagnostics;

    private static async Task<ApiCreateBenchmark.Result> ActAsync(Uri address, string token, ConcurrentQueue<Guid> tasks)
    {
        var stop = Stopwatch.StartNew();
        var all = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var latencies = new List<double>();
            while (tasks.TryDequeue(out var task))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve" });
                if (!response.IsSuccessStatusCode)
                {
                    var detail = diagnostics is null ? string.Empty : await ScalarTextAsync(diagnostics, $"select t.status || ' ' || t.step || ' ' || i.state::text from flow_tasks t join flow_instances i on i.id = t.instance_id where t.id = '{task}'");
                    throw new InvalidOperationException($"Approve {task} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} {detail}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        }));
        return new ApiCreateBenchmark.Result(all.SelectMany(l => l).ToList(), stop.Elapsed);
    }

    /// <summary>The writes of one approve → next step, as one batch (implicit transaction): instance, two task rows, two history rows, a notification.</summary>
    private static async Task<ApiCreateBenchmark.Result> PlainAsync(NpgsqlDataSource data, int count)
    {
        // Copies, so the plain writes never touch the instances the API phase works on.
        var instances = await IdsAsync(data, """
            with c as (insert into flow_instances (id, app_key, flow_key, version, entity_key, record_id, status, state, started_by, started_at)
              select gen_random_uuid(), app_key, 'bench_plain', version, entity_key, record_id, status, state, started_by, started_at
              from flow_instances where flow_key = 'bench_flow' limit 1000 returning id),
            t as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, status, created_at)
              select id, id, 'after_sales', 'customer', id, 'a', 'a', 'bench', 'approval', 'cs01', 'open', now() from c)
            select id from c
            """);
        var state = await ScalarTextAsync(data, "select state::text from flow_instances where flow_key = 'bench_flow' limit 1");
        if (count == 0)
        {
            return new ApiCreateBenchmark.Result([], TimeSpan.Zero);
        }

        var next = -1;
        var stop = Stopwatch.StartNew();
        var all = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var latencies = new List<double>();
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var instance = instances[(n * Clients + c) % instances.Count];
                var started = Stopwatch.GetTimestamp();
                await using (var connection = await data.OpenConnectionAsync())
                {
                    await using var batch = new NpgsqlBatch(connection);
                    Add(batch, "update flow_instances set state = $1, row_version = row_version + 1 where id = $2", new NpgsqlParameter { Value = state, NpgsqlDbType = NpgsqlDbType.Jsonb }, instance);
                    Add(batch, "update flow_tasks set status = 'open', closed_at = now(), closed_by = 'cs01', action = 'approve' where id = $1", instance);
                    Add(batch, "insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, status, created_at) values ($1, $2, 'after_sales', 'customer', $2, 'b', 'b', 'bench', 'approval', 'cs01', 'bench', now())", Guid.CreateVersion7(), instance);
                    Add(batch, "insert into flow_history (instance_id, seq, step, action, by, at) values ($1, $2, 'a', 'approve', 'cs01', now())", Guid.CreateVersion7(), 1);
                    Add(batch, "insert into flow_history (instance_id, seq, step, action, by, at) values ($1, $2, 'b', 'enter', 'system', now())", Guid.CreateVersion7(), 2);
                    Add(batch, "insert into notifications (user_name, kind, title, link, instance_id, task_id, created_at) values ('cs01', 'task', 'bench', '/x', $1, $2, now())", instance, Guid.CreateVersion7());
                    await batch.ExecuteNonQueryAsync();
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        }));
        return new ApiCreateBenchmark.Result(all.SelectMany(l => l).ToList(), stop.Elapsed);
    }

    private static void Add(NpgsqlBatch batch, string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            cmd.Parameters.Add(v as NpgsqlParameter ?? new NpgsqlParameter { Value = v });
        }

        batch.BatchCommands.Add(cmd);
    }

    /// <summary>
    /// After a bulk creation: vacuum and analyze the tables the actions write, so autovacuum does not start on them during a
    /// measured phase (its CPU would count as the cluster's, and it competes for the two cores).
    /// </summary>
    private static async Task SettleAsync(NpgsqlDataSource data)
    {
        await using var cmd = data.CreateCommand("vacuum (analyze) records, record_audit, flow_instances, flow_tasks, flow_history, notifications");
        cmd.CommandTimeout = 300;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<List<Guid>> IdsAsync(NpgsqlDataSource data, string sql)
    {
        var list = new List<Guid>();
        await using var cmd = data.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetGuid(0));
        }

        return list;
    }

    /// <summary>Transactions committed in the bench database so far (the statistics lag up to a second behind).</summary>
    private static Task<long> CommitsAsync(NpgsqlDataSource data) =>
        ScalarAsync(data, "select xact_commit from pg_stat_database where datname = current_database()");

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static async Task<string> ScalarTextAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
