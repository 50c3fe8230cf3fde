using System.Diagnostics;
using System.Globalization;
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
/// Registers nothing global: the caller stops it (Ctrl+C handling, host lifetime, test fixture).
/// </summary>
public sealed partial class PostgresCluster : IAsyncDisposable
{
    public const string BinariesNotFoundMessage =
        "PostgreSQL binaries not found: install PostgreSQL 15 (apt-get install postgresql) or set Platform:PostgresBin, "
        + "or give ConnectionStrings:Platform.";

    private const string RelocationRoot = "/var/lib/platform";
    private const string PostgresUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

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

    /// <summary>The directory actually used (differs from the requested one when it was relocated for the postgres user).</summary>
    public string DataDirectory { get; }

    public int Port { get; private set; }

    public string ConnectionString => ConnectionStringFor(options.Database);

    private string PgData => Path.Combine(DataDirectory, "pgdata");

    private string SocketDir => Path.Combine(DataDirectory, "run");

    private string LogFile => Path.Combine(DataDirectory, "postgres.log");

    private string PortFile => Path.Combine(DataDirectory, "port");

    private string PidFile => Path.Combine(PgData, "postmaster.pid");

    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ValidateName(options.Database, nameof(options));
        var bin = PostgresBinaries.Find(options.BinDirectory) ?? throw new InvalidOperationException(BinariesNotFoundMessage);
        var asPostgres = Environment.UserName == "root" || await IsRootAsync(logger, ct);
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        if (asPostgres && !await ReachableByPostgresAsync(directory, logger, ct))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..12];
            logger.LogDebug("{Directory} is not reachable by the postgres user; using {Relocated}", directory, Path.Combine(RelocationRoot, hash));
            directory = Path.Combine(RelocationRoot, hash);
        }

        var cluster = new PostgresCluster(options, bin, directory, asPostgres, logger);
        try
        {
            await cluster.StartCoreAsync(ct);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=100;Timeout=15";

    /// <summary>Creates <paramref name="name"/> unless it exists (name: lower-case letters, digits, underscores).</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken ct)
    {
        ValidateName(name, nameof(name));
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
        exists.Parameters.AddWithValue("n", name);
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
            logger.LogDebug("Created database {Database}", name);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently by someone else: fine.
        }
    }

    /// <summary>Stops the server (fast shutdown); later calls do nothing.</summary>
    public Task StopAsync() => StopAsync("fast");

    /// <summary>
    /// Stops the server the way a crash would (<c>pg_ctl -m immediate</c>: no checkpoint, crash recovery on the next start),
    /// without touching this process's connection pools; <see cref="StartAgainAsync"/> brings it back on the same port.
    /// For fault-injection tests and drills.
    /// </summary>
    public async Task StopImmediatelyAsync()
    {
        var result = await RunAsync("pg_ctl", ["-D", PgData, "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None, throwOnError: false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop -m immediate failed: {result.Output}");
        }
    }

    /// <summary>Starts the server again on the port it had, after <see cref="StopImmediatelyAsync"/>.</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        var (exitCode, output) = await StartServerAsync(ct);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start again on port {Port}: {output.Trim()}\n{Tail(LogFile)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A throwaway cluster needs no clean checkpoint; stopping it immediately keeps test runs short.
        await StopAsync(options.DeleteOnDispose ? "immediate" : "fast");
        if (options.DeleteOnDispose && Directory.Exists(DataDirectory))
        {
            // rm survives this process being torn down at exit, unlike a managed recursive delete.
            var removed = await RunRawAsync("rm", ["-rf", DataDirectory], logger, CommandTimeout, CancellationToken.None, throwOnError: false);
            if (removed.ExitCode != 0 && Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }

    private async Task StopAsync(string mode)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(PidFile))
        {
            await RunAsync("pg_ctl", ["-D", PgData, "-m", mode, "-w", "-t", "30", "stop"], CancellationToken.None, throwOnError: false);
        }

        if (File.Exists(OwnerFile))
        {
            File.Delete(OwnerFile);
        }
    }

    private string OwnerFile => Path.Combine(DataDirectory, "owner.pid");

    /// <summary>
    /// Two runtimes on one data directory would stop each other's server; a cluster left behind by a
    /// process that died is taken over instead.
    /// </summary>
    private void RefuseWhenOwnedByAnotherProcess()
    {
        if (!File.Exists(OwnerFile) || !int.TryParse(File.ReadAllText(OwnerFile).Trim(), out var owner) || owner == Environment.ProcessId)
        {
            return;
        }

        string? command = null;
        try
        {
            command = File.ReadAllText($"/proc/{owner}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        if (command is not null && command.Contains("Platform", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The data directory {DataDirectory} is in use by another platform process (pid {owner}). Stop it first, or give this one its own Platform:DataDir.");
        }
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDir);
        if (asPostgresUser)
        {
            await RunRawAsync("chown", ["-R", $"{PostgresUser}:{PostgresUser}", DataDirectory], logger, CommandTimeout, ct);
        }

        if (!File.Exists(Path.Combine(PgData, "PG_VERSION")))
        {
            await InitAsync(ct);
        }
        else if (!OperatingSystem.IsWindows())
        {
            // postgres refuses a data directory readable by others.
            File.SetUnixFileMode(PgData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        RefuseWhenOwnedByAnotherProcess();
        await ClearStaleStateAsync(ct);

        // A free port can be taken between probing and binding; with no fixed port, try another.
        for (var attempt = 1; ; attempt++)
        {
            Port = options.Port ?? (attempt == 1 ? RememberedPort() : null) ?? FreePort();
            var (exitCode, output) = await StartServerAsync(ct);
            if (exitCode == 0)
            {
                break;
            }

            var log = Tail(LogFile);
            if (options.Port is null && attempt < 3 && IsPortConflict(log))
            {
                logger.LogDebug("Port {Port} was taken, retrying on another one", Port);
                continue;
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start in {DataDirectory} on port {Port}: {output.Trim()}\n--- {LogFile} (tail) ---\n{log}");
        }

        await File.WriteAllTextAsync(PortFile, Port.ToString(CultureInfo.InvariantCulture), ct);
        await CreateDatabaseAsync(options.Database, ct);
        await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        logger.LogInformation("PostgreSQL started on 127.0.0.1:{Port} ({Directory})", Port, DataDirectory);
    }

    private Task<(int ExitCode, string Output)> StartServerAsync(CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(options.StartTimeout.TotalSeconds));
        var serverArgs = string.Join(' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", Quote(SocketDir),
            "-h", "127.0.0.1",
            "-c", "max_connections=200",
            "-c", "shared_buffers=128MB");
        return RunAsync(
            "pg_ctl",
            ["-D", PgData, "-l", LogFile, "-w", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-o", serverArgs, "start"],
            ct,
            throwOnError: false,
            timeout: options.StartTimeout + TimeSpan.FromSeconds(15));
    }

    private async Task InitAsync(CancellationToken ct)
    {
        DeletePgData();
        string[] common = ["-D", PgData, "-U", PostgresUser, "-A", "trust", "--encoding=UTF8"];
        if (options.DeleteOnDispose)
        {
            // A throwaway cluster gains nothing from initdb's final flush to disk (the server itself keeps fsync on).
            common = [.. common, "--no-sync"];
        }

        var result = await RunAsync("initdb", [.. common, "--locale=C.UTF-8"], ct, throwOnError: false);
        if (result.ExitCode != 0)
        {
            logger.LogDebug("initdb with C.UTF-8 failed, retrying with --no-locale: {Output}", result.Output);
            DeletePgData();
            result = await RunAsync("initdb", [.. common, "--no-locale"], ct, throwOnError: false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed in {PgData}: {result.Output}");
            }
        }

        // Port and socket directory are given on the command line at every start (the port may change).
        await File.AppendAllTextAsync(
            Path.Combine(PgData, "postgresql.conf"),
            $"""

            # Platform local cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{SocketDir.Replace("'", "''", StringComparison.Ordinal)}'
            max_connections = 200
            shared_buffers = 128MB
            logging_collector = off

            """,
            ct);
    }

    private void DeletePgData()
    {
        if (Directory.Exists(PgData))
        {
            Directory.Delete(PgData, recursive: true);
        }
    }

    /// <summary>
    /// A postmaster.pid left behind: stop the server when it is still ours (a previous run on this directory),
    /// otherwise (crash, dead or recycled pid) delete the file so postgres starts.
    /// </summary>
    private async Task ClearStaleStateAsync(CancellationToken ct)
    {
        if (!File.Exists(PidFile))
        {
            return;
        }

        var firstLine = (await File.ReadAllLinesAsync(PidFile, ct)).FirstOrDefault();
        if (int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsPostmasterOf(pid, PgData))
        {
            var status = await RunAsync("pg_ctl", ["-D", PgData, "status"], ct, throwOnError: false);
            if (status.ExitCode == 0)
            {
                logger.LogDebug("Stopping PostgreSQL (pid {Pid}) left running on {Directory}", pid, PgData);
                var stop = await RunAsync("pg_ctl", ["-D", PgData, "-m", "fast", "-w", "-t", "30", "stop"], ct, throwOnError: false);
                if (stop.ExitCode != 0 && IsPostmasterOf(pid, PgData))
                {
                    throw new InvalidOperationException($"A PostgreSQL server (pid {pid}) is still running on {PgData} and could not be stopped: {stop.Output}");
                }
            }
        }

        if (File.Exists(PidFile))
        {
            logger.LogDebug("Removing stale {PidFile}", PidFile);
            File.Delete(PidFile);
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a running postgres whose working directory is <paramref name="pgData"/>.</summary>
    private static bool IsPostmasterOf(int pid, string pgData)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (!cmdline.Contains("postgres", StringComparison.Ordinal))
            {
                return false;
            }

            // The postmaster chdirs into its data directory; fall back to the command line when cwd is unreadable.
            string? cwd;
            try
            {
                cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            }
            catch (IOException)
            {
                cwd = null;
            }
            catch (UnauthorizedAccessException)
            {
                cwd = null;
            }

            return cwd is not null
                ? string.Equals(Path.TrimEndingDirectorySeparator(cwd), Path.TrimEndingDirectorySeparator(pgData), StringComparison.Ordinal)
                : cmdline.Contains(pgData, StringComparison.Ordinal);
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
        try
        {
            return File.Exists(PortFile)
                && int.TryParse(File.ReadAllText(PortFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port is > 0 and < 65536
                && IsFree(port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
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

    private static bool IsPortConflict(string log) =>
        log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
        || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the postgres user can reach <paramref name="directory"/>: every ancestor traversable by others, or,
    /// failing that, checked as that user (group or owner access). The directory itself is chowned later.
    /// </summary>
    private static async Task<bool> ReachableByPostgresAsync(string directory, ILogger logger, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var nearest = Path.GetDirectoryName(directory);
        while (!string.IsNullOrEmpty(nearest) && !Directory.Exists(nearest))
        {
            nearest = Path.GetDirectoryName(nearest);
        }

        if (string.IsNullOrEmpty(nearest))
        {
            return true;
        }

        var allTraversable = true;
        for (var dir = nearest; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                allTraversable = false;
                break;
            }
        }

        if (allTraversable)
        {
            return true;
        }

        var probe = await RunRawAsync("runuser", ["-u", PostgresUser, "--", "test", "-x", nearest], logger, CommandTimeout, ct, throwOnError: false);
        return probe.ExitCode == 0;
    }

    private static async Task<bool> IsRootAsync(ILogger logger, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            var result = await RunRawAsync("id", ["-u"], logger, CommandTimeout, ct, throwOnError: false);
            return result.Output.Trim() == "0";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnError = true, TimeSpan? timeout = null)
    {
        var path = Path.Combine(BinDirectory, tool);
        return asPostgresUser
            ? RunRawAsync("runuser", ["-u", PostgresUser, "--", path, .. args], logger, timeout ?? CommandTimeout, ct, throwOnError)
            : RunRawAsync(path, args, logger, timeout ?? CommandTimeout, ct, throwOnError);
    }

    private static async Task<(int ExitCode, string Output)> RunRawAsync(
        string file, IReadOnlyList<string> args, ILogger logger, TimeSpan timeout, CancellationToken ct, bool throwOnError = true)
    {
        var commandLine = file + " " + string.Join(' ', args.Select(Quote));
        logger.LogDebug("Running {Command}", commandLine);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{commandLine} did not finish within {timeout.TotalSeconds:0} s.");
        }

        var output = (await stdout) + (await stderr);
        logger.LogDebug("{File} exited with {ExitCode}: {Output}", file, process.ExitCode, output.Trim());
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} failed ({process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,@+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Tail(string file)
    {
        try
        {
            return File.Exists(file) ? string.Join('\n', File.ReadAllLines(file).TakeLast(20)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static void ValidateName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Invalid database name '{name}': use lower-case letters, digits and underscores.", parameter);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex DatabaseName();
}
