using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Platform.Runtime.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's binaries: initialised on first use, started on a
/// loopback port, stopped on dispose. As root it runs as the <c>postgres</c> system user, moving the
/// cluster to /var/lib/platform/… when the requested directory is not reachable by that user.
/// Layout: <c>pgdata/</c> (cluster), <c>run/</c> (socket), <c>port</c> (last port), <c>postgres.log</c>.
/// </summary>
public sealed partial class PostgresCluster : IAsyncDisposable
{
    private readonly PostgresClusterOptions options;
    private readonly ILogger logger;
    private readonly bool asPostgresUser;
    private int stopped;

    private PostgresCluster(PostgresClusterOptions options, string binDirectory, string directory, bool asPostgresUser, ILogger logger)
    {
        this.options = options;
        this.logger = logger;
        this.asPostgresUser = asPostgresUser;
        BinDirectory = binDirectory;
        DataDirectory = directory;
    }

    public string BinDirectory { get; }

    /// <summary>The directory actually used (may differ from the requested one when running as root).</summary>
    public string DataDirectory { get; }

    public int Port { get; private set; }

    public string ConnectionString => ConnectionStringFor(options.Database);

    private string PgData => Path.Combine(DataDirectory, "pgdata");

    private string SocketDir => Path.Combine(DataDirectory, "run");

    private string LogFile => Path.Combine(DataDirectory, "postgres.log");

    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, ILogger logger, CancellationToken ct)
    {
        var bin = PostgresBinaries.Find(options.BinDirectory) ?? throw new InvalidOperationException(
            "PostgreSQL binaries not found: install PostgreSQL 15 (apt-get install postgresql, or ./run.sh does it), "
            + "or set Platform:PostgresBin to the directory holding initdb and pg_ctl, or give ConnectionStrings:Platform.");
        var asPostgres = Environment.UserName == "root" || await IsRootAsync(ct);
        var directory = Path.GetFullPath(options.DataDirectory);
        if (asPostgres && !ReachableByOthers(directory))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..12];
            directory = Path.Combine("/var/lib/platform", hash);
        }

        var cluster = new PostgresCluster(options, bin, directory, asPostgres, logger);
        await cluster.StartCoreAsync(ct);
        return cluster;
    }

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=100;Timeout=15";

    public async Task CreateDatabaseAsync(string name, CancellationToken ct)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Invalid database name '{name}'.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{name}\" encoding 'UTF8' template template0", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    public Task StopAsync() => StopAsync("fast");

    public async ValueTask DisposeAsync()
    {
        // A throwaway cluster needs no clean checkpoint; stopping it immediately keeps test runs short.
        await StopAsync(options.DeleteOnDispose ? "immediate" : "fast");
        if (options.DeleteOnDispose)
        {
            // rm survives this process being torn down at exit, unlike a managed recursive delete.
            await RunRawAsync("rm", ["-rf", DataDirectory], CancellationToken.None, throwOnError: false);
        }
    }

    private async Task StopAsync(string mode)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(PgData, "postmaster.pid")))
        {
            await RunAsync("pg_ctl", ["-D", PgData, "-m", mode, "-w", "-t", "30", "stop"], CancellationToken.None, throwOnError: false);
        }
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDir);
        if (asPostgresUser)
        {
            await RunRawAsync("chown", ["-R", "postgres:postgres", DataDirectory], ct);
        }

        if (!File.Exists(Path.Combine(PgData, "PG_VERSION")))
        {
            await InitAsync(ct);
        }

        await ClearStaleStateAsync(ct);
        Port = options.Port ?? RememberedPort() ?? FreePort();
        var args = $"-p {Port} -k {SocketDir} -h 127.0.0.1 -c max_connections=200 -c shared_buffers=128MB";
        var started = await RunAsync("pg_ctl", ["-D", PgData, "-l", LogFile, "-w", "-t", ((int)options.StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", args, "start"], ct, throwOnError: false);
        if (started.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start in {DataDirectory}: {started.Output}\n{Tail(LogFile)}");
        }

        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "port"), Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        await CreateDatabaseAsync(options.Database, ct);
        logger.LogInformation("PostgreSQL started on 127.0.0.1:{Port} ({Directory})", Port, DataDirectory);
    }

    private async Task InitAsync(CancellationToken ct)
    {
        if (Directory.Exists(PgData))
        {
            Directory.Delete(PgData, recursive: true);
        }

        string[] common = ["-D", PgData, "-U", "postgres", "--auth=trust", "--encoding=UTF8"];
        var result = await RunAsync("initdb", [.. common, "--locale=C.UTF-8"], ct, throwOnError: false);
        if (result.ExitCode != 0)
        {
            if (Directory.Exists(PgData))
            {
                Directory.Delete(PgData, recursive: true);
            }

            result = await RunAsync("initdb", [.. common, "--no-locale"], ct, throwOnError: false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed in {PgData}: {result.Output}");
            }
        }

        await File.AppendAllTextAsync(Path.Combine(PgData, "postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nlogging_collector = off\n", ct);
    }

    private async Task ClearStaleStateAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(PgData, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = (await File.ReadAllLinesAsync(pidFile, ct)).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && IsPostgres(pid))
        {
            // A cluster left running by an earlier process on this directory: stop it so we own the port.
            await RunAsync("pg_ctl", ["-D", PgData, "-m", "fast", "-w", "-t", "30", "stop"], ct, throwOnError: false);
        }

        if (File.Exists(pidFile))
        {
            File.Delete(pidFile);
        }
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private int? RememberedPort()
    {
        var file = Path.Combine(DataDirectory, "port");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file), out var port) && IsFree(port) ? port : null;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Whether every ancestor lets other users traverse it (the postgres user must reach the directory).</summary>
    private static bool ReachableByOthers(string directory)
    {
        for (var dir = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (!OperatingSystem.IsWindows() && Directory.Exists(dir) && (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> IsRootAsync(CancellationToken ct)
    {
        var result = await RunRawAsync("id", ["-u"], ct, throwOnError: false);
        return result.Output.Trim() == "0";
    }

    private Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var path = Path.Combine(BinDirectory, tool);
        return asPostgresUser
            ? RunRawAsync("runuser", ["-u", "postgres", "--", path, .. args], ct, throwOnError)
            : RunRawAsync(path, args, ct, throwOnError);
    }

    private static async Task<(int ExitCode, string Output)> RunRawAsync(string file, IReadOnlyList<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = (await stdout) + (await stderr);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
    }

    private static string Tail(string file)
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(file).TakeLast(15));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex DatabaseName();
}
