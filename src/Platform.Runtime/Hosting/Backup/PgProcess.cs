using System.Diagnostics;
using Npgsql;

namespace Platform.Runtime.Hosting.Backup;

/// <summary>Runs pg_dump / pg_restore against the database of an Npgsql connection string (password through the environment, never the command line).</summary>
public static class PgProcess
{
    public static async Task<(int ExitCode, string Errors)> RunAsync(string tool, IReadOnlyList<string> arguments, string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--host=" + (connection.Host ?? "127.0.0.1"));
        start.ArgumentList.Add("--port=" + connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(connection.Username))
        {
            start.ArgumentList.Add("--username=" + connection.Username);
        }

        start.ArgumentList.Add("--no-password");
        start.Environment["PGAPPNAME"] = "platform-backup";
        start.Environment["PGCONNECT_TIMEOUT"] = Math.Max(5, connection.Timeout).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        start.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, ((await errors) + (await output)).Trim());
    }

    /// <summary>The major version a client program reports (<c>pg_dump (PostgreSQL) 15.14 …</c> → 15), or 0.</summary>
    public static async Task<int> MajorVersionAsync(string tool, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var text = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var version = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Length > 0 && char.IsAsciiDigit(w[0]));
        return version is not null && int.TryParse(version.Split('.')[0], out var major) ? major : 0;
    }
}
