using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Platform.Bench;

/// <summary>A pgbench run (the machine's PostgreSQL client) against the bench cluster: transactions per second of a script.</summary>
public static partial class PgbenchPhase
{
    public static string? Binary =>
        new[] { "/usr/local/bin/pgbench", "/usr/bin/pgbench" }.Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")) : [])
            .FirstOrDefault(File.Exists);

    /// <summary>Runs <paramref name="script"/> with <paramref name="clients"/> clients on 2 threads, prepared statements, for <paramref name="duration"/>; tps and mean latency.</summary>
    public static async Task<(double Tps, double LatencyMs)> RunAsync(string connectionString, string script, TimeSpan duration, int clients = 8)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var file = Path.Combine(Path.GetTempPath(), $"platform-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo(Binary!)
            {
                ArgumentList = { "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", clients == 1 ? "1" : "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", file,
                    "-h", c.Host!, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username!, c.Database! },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["PGPASSWORD"] = c.Password ?? string.Empty },
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var tps = Tps().Match(output);
            if (!tps.Success)
            {
                throw new InvalidOperationException($"pgbench failed: {errors}{output}");
            }

            return (double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(Latency().Match(output).Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex Latency();
}
