using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Platform.Bench;

// dotnet run -c Release --project bench/Platform.Bench -- [micro|api|foundation|flows|rules|reports|ui|all]
// foundation = micro then api: the three figures of issue 3 in one run. [seconds per API phase | actions | records] [timers | repetitions]
var what = args.FirstOrDefault() ?? "all";
var exit = 0;
if (what is "micro" or "foundation" or "all")
{
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short")).WithOptions(ConfigOptions.DisableOptimizationsValidator);
    BenchmarkRunner.Run<ExpressionBenchmarks>(config);
    BenchmarkRunner.Run<ValidationBenchmarks>(config);
}

if (what is "api" or "foundation" or "all")
{
    var seconds = what is "api" or "foundation" && args.Length > 1 && int.TryParse(args[1], out var s) ? s : 10;
    exit = await ApiCreateBenchmark.RunAsync(TimeSpan.FromSeconds(seconds));
}

if (what is "flows" or "all")
{
    var actions = what == "flows" && args.Length > 1 && int.TryParse(args[1], out var a) ? a : 6000;
    var timers = args.Length > 2 && int.TryParse(args[2], out var t) ? t : 10_000;
    exit = Math.Max(exit, await FlowBenchmark.RunAsync(actions, timers));
}

if (what is "rules" or "all")
{
    var saves = what == "rules" && args.Length > 1 && int.TryParse(args[1], out var n) ? n : 1000;
    exit = Math.Max(exit, await RulesBenchmark.RunAsync(saves));
}

if (what is "reports" or "all")
{
    var records = what == "reports" && args.Length > 1 && int.TryParse(args[1], out var r) ? r : 1_000_000;
    var reps = what == "reports" && args.Length > 2 && int.TryParse(args[2], out var p) ? p : 3;
    exit = Math.Max(exit, await ReportsBenchmark.RunAsync(records, reps));
}

if (what is "reports-probe")
{
    exit = await ReportsProbe.RunAsync(args[1], args.Length > 2 && int.TryParse(args[2], out var p) ? p : 5, args.Length > 3 ? args[3] : null, args.Length <= 4 || args[4] != "nopairs");
}

if (what is "ui" or "all")
{
    var tabs = what == "ui" && args.Length > 1 && int.TryParse(args[1], out var n) ? n : 30;
    var renders = what == "ui" && args.Length > 2 && int.TryParse(args[2], out var m) ? m : 40;
    exit = Math.Max(exit, await UiBenchmark.RunAsync(tabs, renders));
}

return exit;
