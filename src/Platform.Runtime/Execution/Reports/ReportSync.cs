using Npgsql;

namespace Platform.Runtime.Execution.Reports;

/// <summary>What the syncs of report projections and rollups share.</summary>
internal static class ReportSync
{
    /// <summary>
    /// Runs a step of a sync that locks records, again when PostgreSQL failed it as a deadlock victim: the lock deadlocks with
    /// a background CREATE INDEX CONCURRENTLY (which waits for this transaction while holding a lock this one waits for).
    /// </summary>
    public static Task WithDeadlockRetryAsync(ILogger logger, string what, string app, string key, Func<Task> action, CancellationToken ct) =>
        Persistence.DeadlockRetry.RunAsync(action, logger, $"{what} sync of {app}.{key}", TimeSpan.FromMilliseconds(200), ct);
}
