using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Security;

/// <summary>
/// Decides whether an authenticated principal still stands: its user exists and is active, its security stamp is the
/// user's current one, its session was not logged out, and a cookie sign-in is younger than
/// <see cref="AccountSettings.CookieMaxHours"/>. Read from PostgreSQL, so a revocation on one node holds on every node;
/// each node remembers an answer for <see cref="AccountSettings.SessionCheckSeconds"/>.
/// </summary>
public sealed class SessionGuard(NpgsqlDataSource dataSource, PlatformSettings settings, TimeProvider time)
{
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<(Guid Session, string Stamp), (bool Valid, DateTimeOffset Until)> checkedSessions = new();

    /// <summary>How long a session may last at most, bearer or cookie: how long a logged-out session must be remembered.</summary>
    public TimeSpan LongestSession => TimeSpan.FromMinutes(Math.Max(settings.Accounts.BearerTokenMinutes, settings.Accounts.CookieMaxHours * 60));

    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity
            || !Guid.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId)
            || !Guid.TryParse(identity.FindFirst(SessionClaims.SessionId)?.Value, out var sessionId)
            || identity.FindFirst(SessionClaims.SecurityStamp)?.Value is not { Length: > 0 } stamp
            || !long.TryParse(identity.FindFirst(SessionClaims.AuthTime)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var authTime))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            && DateTimeOffset.FromUnixTimeSeconds(authTime).AddHours(settings.Accounts.CookieMaxHours) <= now)
        {
            return false;
        }

        var key = (sessionId, stamp);
        if (checkedSessions.TryGetValue(key, out var known) && known.Until > now)
        {
            return known.Valid;
        }

        await using var cmd = dataSource.CreateCommand("""
            select u.is_active and u.security_stamp = $2 and not exists (select 1 from revoked_sessions r where r.session_id = $3)
            from users u where u.id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stamp });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        var valid = await cmd.ExecuteScalarAsync(ct) is true;
        if (checkedSessions.Count >= MaxEntries)
        {
            checkedSessions.Clear();
        }

        checkedSessions[key] = (valid, now.AddSeconds(settings.Accounts.SessionCheckSeconds));
        return valid;
    }

    /// <summary>Logout: ends the session of <paramref name="principal"/> (its bearer token and cookie) on every node.</summary>
    public async Task RevokeSessionAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(SessionClaims.SessionId), out var sessionId))
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "insert into revoked_sessions (session_id, user_id, expires_at) values ($1, $2, $3) on conflict (session_id) do nothing",
            sessionId, userId, now + LongestSession));
        batch.BatchCommands.Add(Command("delete from revoked_sessions where expires_at < $1", now));
        await batch.ExecuteNonQueryAsync(ct);
        Forget();
    }

    /// <summary>Ends every session of the user (a new security stamp); false when there is no such user.</summary>
    public async Task<bool> RevokeAllAsync(string userName, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("update users set security_stamp = $2 where user_name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = userName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Persistence.UserRow.NewSecurityStamp() });
        var changed = await cmd.ExecuteNonQueryAsync(ct) > 0;
        Forget();
        return changed;
    }

    /// <summary>Drops what this node remembers, after a revocation made here (other nodes notice within the check interval).</summary>
    public void Forget() => checkedSessions.Clear();

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return cmd;
    }
}
