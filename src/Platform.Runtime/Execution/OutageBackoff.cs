namespace Platform.Runtime.Execution;

/// <summary>
/// How a background loop waits while the database is unreachable: 0.5 s after the first failure, doubling up to
/// <see cref="MaxDelay"/>, so a node neither hammers a recovering server nor sleeps long after it is back. Logs the
/// first failure of an outage as a warning (an error with its stack when it is not the database being away), the rest
/// at debug level, and the recovery once.
/// </summary>
public sealed class OutageBackoff(ILogger logger, string loop)
{
    /// <summary>The longest wait between two tries; timers that fell due during an outage fire at most this long after it.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    private int failures;
    private DateTimeOffset? since;

    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures => failures;

    /// <summary>Records a failure and returns how long to wait before the next try.</summary>
    public TimeSpan Failed(Exception e)
    {
        failures++;
        if (failures == 1)
        {
            since = DateTimeOffset.UtcNow;
            if (IsOutage(e))
            {
                logger.LogWarning("{Loop}: the database is unreachable ({Error}); retrying with backoff", loop, Describe(e));
            }
            else
            {
                logger.LogError(e, "{Loop} failed; retrying with backoff", loop);
            }
        }
        else
        {
            logger.LogDebug(e, "{Loop}: still failing ({Failures} tries)", loop, failures);
        }

        var delay = FirstDelay * Math.Pow(2, Math.Min(failures - 1, 10));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>Records a success; logs the end of an outage.</summary>
    public void Succeeded()
    {
        if (failures == 0)
        {
            return;
        }

        logger.LogInformation("{Loop}: the database answers again after {Failures} failed tries ({Seconds:0.0} s)",
            loop, failures, (DateTimeOffset.UtcNow - since!.Value).TotalSeconds);
        failures = 0;
        since = null;
    }

    /// <summary>Whether <paramref name="e"/> says the database cannot be reached (rather than a fault of the work itself).</summary>
    public static bool IsOutage(Exception e) => e is TimeoutException || Hosting.DatabaseUnavailableHandler.Unavailable(e) is not null;

    private static string Describe(Exception e) => e.GetType().Name + ": " + (e.InnerException?.Message ?? e.Message).Split('\n', 2)[0].Trim();
}
