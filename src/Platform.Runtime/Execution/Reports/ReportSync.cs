using Npgsql;

namespace Platform.Runtime.Execution.Reports;

/// <summary>What the syncs of report projections and rollups share.</summary>
internal static class ReportSync
{
    /// <summary>
    /// Runs a step of a sync that locks records, again when PostgreSQL failed it as a deadlock victim: the lock deadlocks with
    /// a background CREATE INDEX CONCURRENTLY (which waits for this transaction while holding a lock this one waits for).
    /// </summary>
    public static async Task WithDeadlockRetryAsync(ILogger logger, string what, string app, string key, Func<Task> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                logger.LogWarning("{What} sync of {App}.{Key} deadlocked (attempt {Attempt}); retrying", what, app, key, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }
}
