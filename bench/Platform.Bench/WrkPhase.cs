using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Bench;

/// <summary>
/// One load phase driven by wrk (Debian's <c>wrk</c>, a C load generator): far lighter on the shared 2 cores than
/// .NET HttpClient tasks, so the figure is the runtime's, not the client's. Each request's body and path come from
/// a small Lua script; ids to act on can be handed out from a file, each id used once.
/// </summary>
public static partial class WrkPhase
{
    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>Runs wrk with <paramref name="connections"/> connections for <paramref name="duration"/>; rate and latency percentiles.</summary>
    public static async Task<WrkResult> RunAsync(Uri baseAddress, string lua, int connections, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"platform-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, lua);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/wrk")
            {
                ArgumentList = { $"-t{Math.Min(2, connections)}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, baseAddress.ToString() },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var rate = double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var errors = Errors().Match(output) is { Success: true } e ? int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var total = Requests().Match(output) is { Success: true } r ? int.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

            // Only answered-2xx requests count: a refused one (an id already used) is cheap and would flatter the rate.
            var okRate = total == 0 ? rate : rate * (total - errors) / total;
            return new WrkResult(okRate, Percent(output, "50"), Percent(output, "99"), errors, output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>A script POSTing <paramref name="bodyLua"/> (a Lua expression of the counter <c>n</c>) to <paramref name="path"/> with a bearer token.</summary>
    public static string Post(string path, string token, string bodyLua) => $$"""
        local n = 0
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer {{token}}"
        request = function()
          n = n + 1
          return wrk.format(nil, "{{path}}", nil, {{bodyLua}})
        end
        """;

    /// <summary>
    /// A script POSTing <paramref name="body"/> to <c>/api/tasks/{id}/actions</c> for ids read from <paramref name="idsFile"/>;
    /// the two wrk threads take alternate lines, so every task is acted on once.
    /// </summary>
    public static string TaskActions(string idsFile, string token, string body) => $$"""
        local threads = 0
        setup = function(thread)
          thread:set("part", threads)
          threads = threads + 1
        end
        local ids = {}
        local i = 0
        init = function(args)
          local k = 0
          for line in io.lines("{{idsFile}}") do
            if k % 2 == part then ids[#ids + 1] = line end
            k = k + 1
          end
        end
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer {{token}}"
        wrk.body = '{{body}}'
        request = function()
          i = i + 1
          if i > #ids then i = #ids end
          return wrk.format(nil, "/api/tasks/" .. ids[i] .. "/actions")
        end
        """;

    private static double Percent(string output, string p) =>
        Latency().Matches(output).Where(m => m.Groups[1].Value == p).Select(m => ToMs(m.Groups[2].Value, m.Groups[3].Value)).FirstOrDefault();

    private static double ToMs(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "us" => 0.001,
        "s" => 1000,
        _ => 1,
    };

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Errors();

    [GeneratedRegex(@"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Latency();
}
