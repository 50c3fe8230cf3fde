using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Security;

/// <summary>
/// Counts failed sign-ins per user name in PostgreSQL (so the count holds across nodes and restarts) and locks the name for
/// <see cref="AccountSettings.LockoutMinutes"/> after <see cref="AccountSettings.LockoutThreshold"/> failures within the
/// window. Names that do not exist are counted the same way in <c>login_failures</c>, so a lock says nothing about whether a
/// user exists. An attempt is counted before the password is checked: parallel guesses cannot outrun the lock.
/// </summary>
public sealed class LoginLockout(NpgsqlDataSource dataSource, PlatformSettings settings, TimeProvider time)
{
    private const string BeginKnown = """
        with attempt as (
          update users set
            failed_logins = case when failed_window_start is null or failed_window_start <= $2 then 1 else failed_logins + 1 end,
            failed_window_start = case when failed_window_start is null or failed_window_start <= $2 then $3 else failed_window_start end,
            locked_until = null
          where user_name = $1 and (locked_until is null or locked_until <= $3)
          returning failed_logins)
        select (select failed_logins from attempt), u.locked_until from users u where u.user_name = $1
        """;

    private const string BeginUnknown = """
        insert into login_failures as f (user_name, failed_logins, failed_window_start) values ($1, 1, $3)
        on conflict (user_name) do update set
          failed_logins = case when f.failed_window_start <= $2 then 1 else f.failed_logins + 1 end,
          failed_window_start = case when f.failed_window_start <= $2 then $3 else f.failed_window_start end,
          locked_until = null
        where f.locked_until is null or f.locked_until <= $3
        returning failed_logins
        """;

    private AccountSettings Rules => settings.Accounts;

    /// <summary>Counts an attempt for <paramref name="userName"/>; a locked name gets no attempt (Number null).</summary>
    public async Task<LoginAttempt> BeginAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var windowStart = now.AddMinutes(-Rules.LockoutWindowMinutes);
        await using (var known = Command(BeginKnown, userName, windowStart, now))
        await using (var reader = await known.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                var number = reader.IsDBNull(0) ? (int?)null : reader.GetInt32(0);
                var until = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
                return await OverThresholdAsync(new LoginAttempt(userName, true, number, number is null ? until : null), ct);
            }
        }

        if (Random.Shared.Next(20) == 0)
        {
            await using var purge = Command(
                "delete from login_failures where (locked_until is null or locked_until <= $3) and failed_window_start <= $2 and user_name <> $1", userName, windowStart, now);
            await purge.ExecuteNonQueryAsync(ct);
        }

        await using var unknown = Command(BeginUnknown, userName, windowStart, now);
        if (await unknown.ExecuteScalarAsync(ct) is int counted)
        {
            return await OverThresholdAsync(new LoginAttempt(userName, false, counted, null), ct);
        }

        await using var locked = Command("select locked_until from login_failures where user_name = $1", userName);
        return new LoginAttempt(userName, false, null, await locked.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : now);
    }

    /// <summary>The attempt's password was wrong: locks the name when this was the last allowed failure; returns until when.</summary>
    public async Task<DateTimeOffset?> FailAsync(LoginAttempt attempt, CancellationToken ct) =>
        attempt.Number >= Rules.LockoutThreshold ? await LockAsync(attempt, ct) : null;

    /// <summary>A successful sign-in clears the count.</summary>
    public async Task SucceedAsync(string userName, CancellationToken ct)
    {
        await using var cmd = Command("update users set failed_logins = 0, failed_window_start = null, locked_until = null where user_name = $1 and failed_logins <> 0", userName);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An administrator lifts a lock (and clears the count); false when there is no such user.</summary>
    public async Task<bool> UnlockAsync(string userName, CancellationToken ct)
    {
        await using var cmd = Command("update users set failed_logins = 0, failed_window_start = null, locked_until = null where user_name = $1", userName);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    // More attempts than allowed got counted at once (a burst in parallel): lock now rather than check their passwords.
    private async Task<LoginAttempt> OverThresholdAsync(LoginAttempt attempt, CancellationToken ct) =>
        attempt.Number > Rules.LockoutThreshold ? attempt with { Number = null, LockedUntil = await LockAsync(attempt, ct) } : attempt;

    private async Task<DateTimeOffset> LockAsync(LoginAttempt attempt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = now.AddMinutes(Rules.LockoutMinutes);
        await using var cmd = Command(
            attempt.Known
                ? "update users set locked_until = $2, failed_logins = 0, failed_window_start = null where user_name = $1"
                : "update login_failures set locked_until = $2, failed_logins = 0, failed_window_start = $3 where user_name = $1",
            attempt.UserName, until, now);
        await cmd.ExecuteNonQueryAsync(ct);
        return until;
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var cmd = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return cmd;
    }
}
