using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Metadata;
using Platform.Runtime.Hosting;
using Platform.Runtime.Integrations;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// One-time SMS codes for the customer self-service. A code is 6 random digits, sent once through the outbox (kind
/// <c>sms</c>, written in the same transaction as the code row, so the dispatcher sends it after commit and never
/// twice); only its HMAC is stored. It lives <see cref="CustomerSettings.CodeLifetimeSeconds"/>, survives
/// <see cref="CustomerSettings.CodeMaxAttempts"/> wrong tries, and only the newest code of a phone counts. Sending is
/// limited per phone (a wait between codes, a number per hour) and per client address, counted in the database so
/// every node sees the same limits. With the logging SMS provider (local mode) the code appears in the log and, while
/// it is valid, in the outbox message administrators can read; once it is dead the outbox text is blanked.
/// </summary>
public sealed class CustomerCodes(
    AppCatalog catalog, NpgsqlDataSource dataSource, CustomerSecret secret, CustomerSessions sessions, PlatformSettings settings, TimeProvider time)
{
    /// <summary>The outbox payload's <c>purpose</c> of code messages (so their text can be blanked once the code is dead).</summary>
    public const string Purpose = "customer-code";

    /// <summary>What a code message's outbox text becomes once the code is dead.</summary>
    public const string ClearedText = "验证码已失效，内容不再保留 / expired code removed";

    private const string HashPurpose = "customer-code";

    private CustomerSettings Limits => settings.Customer;

    public async Task<CodeSendResult> SendAsync(string appKey, string? phoneInput, string? clientAddress, CancellationToken ct)
    {
        if (await PortalAsync(appKey, ct) is not { } portal)
        {
            return CodeSendResult.Missing;
        }

        if (SmsChannel.NormalizeMobile(phoneInput) is not { } phone)
        {
            return CodeSendResult.Invalid("请输入 11 位手机号 / enter an 11-digit mainland mobile number");
        }

        var address = string.IsNullOrWhiteSpace(clientAddress) ? "unknown" : clientAddress;
        var now = time.GetUtcNow();
        var hour = TimeSpan.FromHours(1);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // One sender per phone at a time, so two quick clicks cannot both pass the limits.
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(Command("select pg_advisory_xact_lock(hashtextextended($1, 7226017))", $"{appKey}:{phone}"));
            batch.BatchCommands.Add(Command("select count(*), min(created_at) from customer_codes where client_address = $1 and created_at > $2", address, now - hour));
            batch.BatchCommands.Add(Command("select count(*), min(created_at), max(created_at) from customer_codes where app_key = $1 and phone = $2 and created_at > $3", appKey, phone, now - hour));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var byAddress = reader.GetInt64(0);
            var firstByAddress = reader.IsDBNull(1) ? now : reader.GetFieldValue<DateTimeOffset>(1);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var byPhone = reader.GetInt64(0);
            var firstByPhone = reader.IsDBNull(1) ? now : reader.GetFieldValue<DateTimeOffset>(1);
            var lastByPhone = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2);
            if (byAddress >= Limits.CodesPerAddressPerHour)
            {
                return CodeSendResult.Limited(firstByAddress + hour - now, "验证码请求过于频繁，请稍后再试 / too many codes requested from this address");
            }

            var resend = TimeSpan.FromSeconds(Limits.ResendSeconds);
            if (lastByPhone is { } last && now - last < resend)
            {
                return CodeSendResult.Limited(last + resend - now, $"验证码已发送，请 {Seconds(last + resend - now)} 秒后再获取 / a code was just sent; wait before asking again");
            }

            if (byPhone >= Limits.CodesPerPhonePerHour)
            {
                return CodeSendResult.Limited(firstByPhone + hour - now, "该手机号获取验证码次数过多，请稍后再试 / too many codes for this phone this hour");
            }
        }

        var id = Guid.CreateVersion7();
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var lifetime = TimeSpan.FromSeconds(Math.Max(30, Limits.CodeLifetimeSeconds));
        var text = (portal.CodeText ?? CustomerPortalDefinition.DefaultCodeText).Replace(CustomerPortalDefinition.CodePlaceholder, code, StringComparison.Ordinal);
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            write.BatchCommands.Add(Command(
                "insert into customer_codes (id, app_key, phone, code_hash, client_address, created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7)",
                id, appKey, phone, await HashAsync(id, code, ct), address, now, now + lifetime));
            OutboxCommands.Insert(write, OutboxKinds.Sms, $"customer-code:{id}", new JsonObject
            {
                ["app"] = appKey, ["to"] = phone, ["text"] = text, ["template"] = portal.CodeTemplate, ["purpose"] = Purpose,
            }, now);

            // Housekeeping on the way: codes older than a day go, and dead codes leave the outbox texts.
            write.BatchCommands.Add(Command("delete from customer_codes where created_at < $1", now - TimeSpan.FromDays(1)));
            write.BatchCommands.Add(Command("""
                with dead as (update customer_codes set text_cleared = true where not text_cleared and expires_at < $1 returning id)
                update outbox set payload = payload || jsonb_build_object('text', $2::text),
                  status = case when status = 'pending' then 'failed' else status end,
                  last_error = case when status = 'pending' then 'the code expired before it was sent' else last_error end
                where idempotency_key in (select 'customer-code:' || id::text from dead) and status <> 'sending'
                """, now, ClearedText));
            await write.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new CodeSendResult(true, false, false, null, TimeSpan.FromSeconds(Limits.ResendSeconds), lifetime);
    }

    /// <summary>
    /// Checks a code against the newest code of the phone; every wrong try counts, a right one uses the code up and
    /// opens a session. Wrong, expired, used and worn-out codes all give <see cref="CodeVerifyResult.Wrong"/>.
    /// </summary>
    public async Task<CodeVerifyResult> VerifyAsync(string appKey, string? phoneInput, string? codeInput, CancellationToken ct)
    {
        if (await PortalAsync(appKey, ct) is null)
        {
            return CodeVerifyResult.Missing;
        }

        if (SmsChannel.NormalizeMobile(phoneInput) is not { } phone)
        {
            return new CodeVerifyResult(null, null, false, "请输入 11 位手机号 / enter an 11-digit mainland mobile number");
        }

        var code = codeInput?.Trim();
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return CodeVerifyResult.Wrong;
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        Guid id;
        string hash;
        await using (var find = new NpgsqlCommand(
            "select id, code_hash, attempts, expires_at, used_at is not null from customer_codes where app_key = $1 and phone = $2 order by created_at desc limit 1 for update",
            connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = appKey });
            find.Parameters.Add(new NpgsqlParameter { Value = phone });
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.GetInt32(2) >= Limits.CodeMaxAttempts || reader.GetFieldValue<DateTimeOffset>(3) <= now || reader.GetBoolean(4))
            {
                return CodeVerifyResult.Wrong;
            }

            id = reader.GetGuid(0);
            hash = reader.GetString(1);
        }

        var presented = await HashAsync(id, code, ct);
        var right = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), Convert.FromHexString(presented));
        await using (var update = new NpgsqlCommand("update customer_codes set attempts = attempts + 1, used_at = case when $2 then $3 else used_at end where id = $1", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = right });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            await update.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        if (!right)
        {
            return CodeVerifyResult.Wrong;
        }

        var (token, session) = sessions.Issue(appKey, phone);
        return new CodeVerifyResult(token, session, false, null);
    }

    private async Task<CustomerPortalDefinition?> PortalAsync(string appKey, CancellationToken ct) =>
        appKey.Length <= 63 && await catalog.GetAsync(appKey, ct) is { CustomerPortal: { Enabled: true } portal } ? portal : null;

    private async Task<string> HashAsync(Guid id, string code, CancellationToken ct) =>
        Convert.ToHexStringLower(await secret.MacAsync(HashPurpose, Encoding.UTF8.GetBytes($"{id:N}:{code}"), ct));

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static NpgsqlBatchCommand Command(string sql, params object[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(arg is DateTimeOffset at ? new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz } : new NpgsqlParameter { Value = arg });
        }

        return command;
    }
}
