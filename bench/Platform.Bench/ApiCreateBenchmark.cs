using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Runtime.Hosting;

namespace Platform.Bench;

/// <summary>
/// Records API create throughput with 8 concurrent HTTP clients against a plain Npgsql insert of the same
/// JSONB row, in one run on one throwaway cluster. The runtime runs as its own Release process.
/// </summary>
public static class ApiCreateBenchmark
{
    // APIBENCH_CLIENTS=1 checks the latency of a lone client (group commit must not add to it).
    private static readonly int Clients = int.TryParse(Environment.GetEnvironmentVariable("APIBENCH_CLIENTS"), out var clients) && clients > 0 ? clients : 8;
    private const string CreatePath = "/api/apps/after_sales/entities/customer/records";
    private const string BarePath = "/api/bench/bare-insert";

    /// <summary>
    /// The plain baselines connect as the runtime does (its data source prepares repeated statements and sends no reset when
    /// a connection goes back to the pool), so a ratio measures the platform's layers, not a difference in connection settings.
    /// </summary>
    internal const string BaselineSettings = ";Maximum Pool Size=16;Max Auto Prepare=64;Auto Prepare Min Usages=2;No Reset On Close=true";

    public static async Task<int> RunAsync(TimeSpan phase)
    {
        await using var runtime = await BenchRuntime.StartAsync("--Platform:BenchEndpoints", "true");
        if (runtime is null)
        {
            return 1;
        }

        var baseAddress = runtime.Address;
        var connectionString = runtime.ConnectionString;
        var token = await LoginAsync(baseAddress);
        await using var dataSource = NpgsqlDataSource.Create(connectionString + BaselineSettings);

        Console.WriteLine($"Warming up ({Clients} clients)…");
        await ApiPhaseAsync(baseAddress, token, TimeSpan.FromSeconds(3));
        await InsertPhaseAsync(dataSource, TimeSpan.FromSeconds(3));

        var inserts = new List<Result>();
        var creates = new List<Result>();
        var bares = new List<Result>();
        var cpu = runtime.Cpu;
        var cpuUse = new double[3, 2];
        async Task<T> Metered<T>(int phaseIndex, Func<Task<T>> run)
        {
            var before = cpu.Now();
            var result = await run();
            var after = cpu.Now();
            cpuUse[phaseIndex, 0] += after.Runtime - before.Runtime;
            cpuUse[phaseIndex, 1] += after.Postgres - before.Postgres;
            return result;
        }

        string CpuRow(int phaseIndex, double requests)
        {
            var row = CpuMeter.PerRequest((0, 0), (cpuUse[phaseIndex, 0], cpuUse[phaseIndex, 1]), requests);
            cpuUse[phaseIndex, 0] = cpuUse[phaseIndex, 1] = 0;
            return row;
        }

        for (var round = 0; round < 2; round++)
        {
            inserts.Add(await Metered(0, () => InsertPhaseAsync(dataSource, phase)));
            creates.Add(await Metered(1, () => ApiPhaseAsync(baseAddress, token, phase)));
            bares.Add(await Metered(2, () => ApiPhaseAsync(baseAddress, token, phase, BarePath)));
        }

        var insert = Result.Combine(inserts);
        var create = Result.Combine(creates);
        var bare = Result.Combine(bares);
        Console.WriteLine();
        Console.WriteLine($"| {"measure",-46} | {"rate/s",9} | {"p50 ms",7} | {"p99 ms",7} |");
        Console.WriteLine($"|{new string('-', 48)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|");
        Console.WriteLine(insert.Row("plain Npgsql insert of the same JSONB row"));
        Console.WriteLine(create.Row("POST records (validate + record + audit, 1 tx)"));
        Console.WriteLine(bare.Row("calibration: bare endpoint, auth + 1 insert"));
        Console.WriteLine();
        Console.WriteLine($"API create / plain insert = {create.Rate / insert.Rate:P0} (target ≥ 60%), API p99 = {create.P99:0.0} ms (target ≤ 25 ms); bare endpoint / plain insert = {bare.Rate / insert.Rate:P0}");
        Console.WriteLine($"  plain insert: {CpuRow(0, insert.Latencies.Count)}");
        Console.WriteLine($"  POST records: {CpuRow(1, create.Latencies.Count)}");
        Console.WriteLine($"  bare endpoint: {CpuRow(2, bare.Latencies.Count)}");
        if (!WrkPhase.Available)
        {
            Console.WriteLine("(wrk not installed: apt-get install wrk for the phases with a native load generator)");
            return 0;
        }

        // The same comparison with wrk as the HTTP client, so the load generator takes little of the 2 cores.
        var body = """'{"data":{"name":"压测客户' .. n .. '","phone":"139' .. string.format("%08d", n % 100000000) .. '","region":"east","tier":"regular","address":"上海市浦东新区世纪大道100号"}}'""";
        var wrkInserts = new List<Result>();
        var wrkCreates = new List<WrkResult>();
        var wrkBares = new List<WrkResult>();
        for (var round = 0; round < 2; round++)
        {
            wrkInserts.Add(await Metered(0, () => InsertPhaseAsync(dataSource, phase)));
            wrkCreates.Add(await Metered(1, () => WrkPhase.RunAsync(baseAddress, WrkPhase.Post(CreatePath, token, body), Clients, phase)));
            wrkBares.Add(await Metered(2, () => WrkPhase.RunAsync(baseAddress, WrkPhase.Post(BarePath, token, body), Clients, phase)));
        }

        var wrkInsert = Result.Combine(wrkInserts);
        var wrkCreate = new WrkResult(wrkCreates.Average(r => r.Rate), wrkCreates.Average(r => r.P50), wrkCreates.Max(r => r.P99), wrkCreates.Sum(r => r.Errors), string.Empty);
        var wrkBare = new WrkResult(wrkBares.Average(r => r.Rate), wrkBares.Average(r => r.P50), wrkBares.Max(r => r.P99), wrkBares.Sum(r => r.Errors), string.Empty);
        Console.WriteLine();
        Console.WriteLine(wrkInsert.Row("plain Npgsql insert (same run, wrk rounds)"));
        Console.WriteLine(wrkCreate.Row("POST records, wrk -c8"));
        Console.WriteLine(wrkBare.Row("calibration: bare endpoint, wrk -c8"));
        Console.WriteLine();
        Console.WriteLine($"wrk: API create / plain insert = {wrkCreate.Rate / wrkInsert.Rate:P0} (target ≥ 60%), p99 = {wrkCreate.P99:0.0} ms; bare / plain = {wrkBare.Rate / wrkInsert.Rate:P0}; non-2xx = {wrkCreate.Errors + wrkBare.Errors}");
        Console.WriteLine($"  plain insert: {CpuRow(0, wrkInserts.Sum(r => r.Latencies.Count))}");
        Console.WriteLine($"  POST records (wrk): {CpuRow(1, wrkCreates.Sum(r => r.Rate) * phase.TotalSeconds)}");
        Console.WriteLine($"  bare endpoint (wrk): {CpuRow(2, wrkBares.Sum(r => r.Rate) * phase.TotalSeconds)}");
        return 0;

    }

    private static async Task<Result> ApiPhaseAsync(Uri baseAddress, string token, TimeSpan duration, string path = CreatePath)
    {
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Clients).Select(async c =>
        {
            using var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var latencies = new List<double>();
            var n = 0;
            while (stop.Elapsed < duration)
            {
                var body = new JsonObject { ["data"] = Customer(c, n++) };
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync(path, body);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        });
        var all = (await Task.WhenAll(tasks)).SelectMany(l => l).ToList();
        return new Result(all, stop.Elapsed);
    }

    private static async Task<Result> InsertPhaseAsync(NpgsqlDataSource dataSource, TimeSpan duration)
    {
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Clients).Select(async c =>
        {
            var latencies = new List<double>();
            var n = 0;
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await using (var connection = await dataSource.OpenConnectionAsync())
                {
                    await using var cmd = new NpgsqlCommand(
                        "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values ($1, 'after_sales', 'customer', $2, 1, 1, now(), 'bench', now(), 'bench')",
                        connection);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    cmd.Parameters.Add(new NpgsqlParameter { Value = Customer(100 + c, n++).ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
                    await cmd.ExecuteNonQueryAsync();
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        });
        var all = (await Task.WhenAll(tasks)).SelectMany(l => l).ToList();
        return new Result(all, stop.Elapsed);
    }

    private static JsonObject Customer(int client, int n) => new()
    {
        ["name"] = $"压测客户{client:00}-{n}",
        ["phone"] = $"13{client:00}{n % 10_000_000:0000000}",
        ["region"] = "east",
        ["tier"] = "regular",
        ["address"] = "上海市浦东新区世纪大道100号",
    };

    internal static async Task WaitReadyAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The runtime did not become ready within 90 s.");
    }

    internal static async Task<string> LoginAsync(Uri baseAddress, string user = "cs01", string? password = null)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = password ?? DemoUser.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal sealed record Result(List<double> Latencies, TimeSpan Elapsed)
    {
        public double Rate => Latencies.Count / Elapsed.TotalSeconds;

        public double P50 => Percentile(0.50);

        public double P99 => Percentile(0.99);

        public static Result Combine(IReadOnlyList<Result> results) =>
            new(results.SelectMany(r => r.Latencies).ToList(), TimeSpan.FromTicks(results.Sum(r => r.Elapsed.Ticks)));

        public string Row(string name) => $"| {name,-46} | {Rate,9:0} | {P50,7:0.00} | {P99,7:0.00} |";

        private double Percentile(double p)
        {
            var sorted = Latencies.Order().ToList();
            return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }
}
