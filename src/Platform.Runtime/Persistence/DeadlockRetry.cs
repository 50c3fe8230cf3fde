using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Runs a transaction again when PostgreSQL failed it as a deadlock's victim or for serialization (SQLSTATE 40P01, 40001).
/// The server rolled it back whole, so nothing of it committed and no effect left (effects leave through the outbox after
/// the commit); the write runs again from the start on a fresh connection and transaction, which it must open itself.
/// Other errors, and the last attempt's, reach the caller.
/// </summary>
public static class DeadlockRetry
{
    /// <summary>Attempts in all, the first included.</summary>
    public const int Attempts = 5;

    /// <summary>
    /// The first wait of a schema or sync transaction that lost to a background <c>CREATE INDEX CONCURRENTLY</c> (which waits
    /// for it while holding a lock it waits for): the index build takes a while, so the retry waits longer than a record write.
    /// </summary>
    public static readonly TimeSpan IndexBuildDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>True for the errors after which the whole transaction may simply run again.</summary>
    public static bool IsRetryable(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <param name="write">The whole transaction: opens its connection, writes, commits.</param>
    /// <param name="logger">Where a lost attempt is noted.</param>
    /// <param name="what">The write, for the log ("Update of app.entity/id").</param>
    /// <param name="baseDelay">The first wait; later ones grow linearly, with jitter so two victims do not meet again.</param>
    /// <param name="ct">Cancels the waits and the write.</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> write, ILogger logger, string what, TimeSpan baseDelay, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception e) when (attempt < Attempts && IsRetryable(e))
            {
                logger.LogWarning("{What} lost a deadlock or serialization check (attempt {Attempt}); running it again", what, attempt);
                var step = baseDelay.TotalMilliseconds * attempt;
                await Task.Delay(TimeSpan.FromMilliseconds(step + Random.Shared.NextDouble() * step), ct);
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(Func<Task> write, ILogger logger, string what, TimeSpan baseDelay, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await write();
            return true;
        }, logger, what, baseDelay, ct);
}
