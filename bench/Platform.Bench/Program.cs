using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Platform.Bench;

// dotnet run -c Release --project bench/Platform.Bench -- [micro|api|all] [seconds per API phase]
var what = args.FirstOrDefault() ?? "all";
var exit = 0;
if (what is "micro" or "all")
{
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short")).WithOptions(ConfigOptions.DisableOptimizationsValidator);
    BenchmarkRunner.Run<ExpressionBenchmarks>(config);
    BenchmarkRunner.Run<ValidationBenchmarks>(config);
}

if (what is "api" or "all")
{
    var seconds = args.Length > 1 && int.TryParse(args[1], out var s) ? s : 10;
    exit = await ApiCreateBenchmark.RunAsync(TimeSpan.FromSeconds(seconds));
}

return exit;
