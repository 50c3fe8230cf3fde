namespace Platform.Runtime.Hosting;

/// <summary>Finds the directory holding initdb, pg_ctl and postgres.</summary>
public static class PostgresBinaries
{
    /// <summary>The configured directory, else the one of <c>initdb</c> on PATH, else the newest /usr/lib/postgresql/*/bin; null when none.</summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IsComplete(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb))
            {
                continue;
            }

            var resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            var home = Path.GetDirectoryName(resolved)!;
            if (IsComplete(home))
            {
                return home;
            }
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            return Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => IsComplete(d.Dir))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
        }

        return null;
    }

    private static bool IsComplete(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));
}
