using System.Globalization;

namespace Platform.Runtime.Hosting;

/// <summary>Finds the directory holding initdb, pg_ctl and postgres.</summary>
public static class PostgresBinaries
{
    private const string DistributionRoot = "/usr/lib/postgresql";

    /// <summary>
    /// The configured directory (when it holds pg_ctl), else the real directory of <c>initdb</c> on PATH
    /// (symlinks followed, wrapper scripts skipped), else the newest /usr/lib/postgresql/*/bin; null when none.
    /// </summary>
    public static string? Find(string? configuredBin)
    {
        if (!string.IsNullOrWhiteSpace(configuredBin))
        {
            var configured = Path.GetFullPath(configuredBin);
            return IsComplete(configured) ? configured : null;
        }

        return FromPath() ?? Newest(DistributionRoot);
    }

    /// <summary>
    /// A client program (pg_dump, pg_restore): in the configured directory, else from the newest
    /// /usr/lib/postgresql/*/bin (a pg_dump is never older than the server it dumps), else on PATH; null when none.
    /// </summary>
    public static string? FindTool(string tool, string? configuredBin)
    {
        if (!string.IsNullOrWhiteSpace(configuredBin))
        {
            var configured = Path.Combine(Path.GetFullPath(configuredBin), tool);
            return File.Exists(configured) ? configured : null;
        }

        if (Directory.Exists(DistributionRoot))
        {
            var newest = Directory.GetDirectories(DistributionRoot)
                .Select(d => (File: Path.Combine(d, "bin", tool), Version: ParseVersion(Path.GetFileName(d))))
                .Where(d => File.Exists(d.File))
                .OrderByDescending(d => d.Version)
                .Select(d => d.File)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    private static string? FromPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }

            // The real binaries' directory first (so pg_ctl finds its postgres), then the PATH directory itself.
            string? resolved;
            try
            {
                resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            }
            catch (IOException)
            {
                resolved = null;
            }

            foreach (var candidate in new[] { resolved is null ? null : Path.GetDirectoryName(resolved), Path.GetFullPath(dir) })
            {
                if (candidate is not null && IsComplete(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string? Newest(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(d => IsComplete(d.Dir))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Dir)
            .FirstOrDefault();
    }

    private static Version ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version
        : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? new Version(major, 0)
        : new Version(0, 0);

    /// <summary>initdb, pg_ctl and postgres are all there and initdb is a real program, not a wrapper script.</summary>
    private static bool IsComplete(string dir) =>
        File.Exists(Path.Combine(dir, "pg_ctl"))
        && File.Exists(Path.Combine(dir, "postgres"))
        && File.Exists(Path.Combine(dir, "initdb"))
        && !IsScript(Path.Combine(dir, "initdb"));

    private static bool IsScript(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            Span<byte> head = stackalloc byte[2];
            return stream.Read(head) == 2 && head[0] == (byte)'#' && head[1] == (byte)'!';
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
}
