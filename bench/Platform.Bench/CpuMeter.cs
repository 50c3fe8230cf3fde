using System.Globalization;

namespace Platform.Bench;

/// <summary>
/// CPU time used so far by the runtime process and by the bench cluster's PostgreSQL processes (postmaster, its children,
/// and the children it has reaped), from /proc. On a shared 2-core machine the rate of a phase swings with what else runs;
/// CPU milliseconds per request hardly do, so they say where a request's cost is.
/// </summary>
public sealed class CpuMeter(int runtimePid, string pgData)
{
    private static readonly double TickMs = 1000.0 / 100;

    /// <summary>(runtime ms, PostgreSQL ms) used so far; zeros where /proc cannot tell.</summary>
    public (double Runtime, double Postgres) Now()
    {
        var runtime = Ticks(runtimePid, children: false) * TickMs;
        var pidFile = Path.Combine(pgData, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            return (runtime, 0);
        }

        double postgres = Ticks(postmaster, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat && stat.Parent == postmaster)
            {
                postgres += stat.User + stat.System;
            }
        }

        return (runtime, postgres * TickMs);
    }

    /// <summary>The cluster's processes now: the postmaster and its children (the backends of pooled connections among them).</summary>
    public IReadOnlyList<int> PostgresPids()
    {
        var pidFile = Path.Combine(pgData, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            return [];
        }

        var pids = new List<int> { postmaster };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat && stat.Parent == postmaster)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>CPU ms used so far by each of the cluster's processes now running (postmaster and children), by pid.</summary>
    public Dictionary<int, double> PostgresByProcess()
    {
        var map = new Dictionary<int, double>();
        foreach (var pid in PostgresPids())
        {
            if (Stat(pid) is { } s)
            {
                map[pid] = (s.User + s.System) * TickMs;
            }
        }

        return map;
    }

    /// <summary>
    /// The busiest PostgreSQL process between two <see cref="PostgresByProcess"/> snapshots, as a share of one core over
    /// <paramref name="wallMs"/>: a lone writer's backend near 100 % means the writes wait on one core, not on the machine.
    /// </summary>
    public static string Busiest(Dictionary<int, double> before, Dictionary<int, double> after, double wallMs)
    {
        var used = after.Select(p => (Pid: p.Key, Ms: p.Value - before.GetValueOrDefault(p.Key))).OrderByDescending(p => p.Ms).Take(3).ToList();
        return string.Join(", ", used.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Ms / wallMs:P0}")));
    }

    /// <summary>A phase's CPU per request, as "runtime x.xx + postgres y.yy ms/req".</summary>
    public static string PerRequest((double Runtime, double Postgres) before, (double Runtime, double Postgres) after, double requests) =>
        requests <= 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture,
            $"CPU per request: runtime {(after.Runtime - before.Runtime) / requests:0.000} ms + postgres {(after.Postgres - before.Postgres) / requests:0.000} ms");

    private static long Ticks(int pid, bool children) =>
        Stat(pid) is { } s ? s.User + s.System + (children ? s.ChildUser + s.ChildSystem : 0) : 0;

    private static (int Parent, long User, long System, long ChildUser, long ChildSystem)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // Fields after the command name, which is in parentheses and may contain spaces: state ppid … utime(14) stime cutime cstime.
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[11], CultureInfo.InvariantCulture), long.Parse(f[12], CultureInfo.InvariantCulture),
                long.Parse(f[13], CultureInfo.InvariantCulture), long.Parse(f[14], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
