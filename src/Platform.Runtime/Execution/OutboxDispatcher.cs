using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Hosting;
using Platform.Runtime.Integrations;

namespace Platform.Runtime.Execution;

/// <summary>
/// Sends what commands left in the outbox after they committed, through one <see cref="IOutboxChannel"/> per kind
/// (email, webhook, sms, robot). A message is claimed with SKIP LOCKED and leased — <c>status = 'sending'</c>,
/// <c>lease_until</c> = now + its timeout + a margin — and that claim is committed before anything is sent, so no
/// transaction stays open across a network call. The outcome is written afterwards: <c>sent</c>, back to
/// <c>pending</c> with exponential backoff, <c>failed</c> (permanent or out of attempts) or <c>refused</c> (the
/// outbound guard would not make the request). A node that dies mid-send leaves its lease to run out; then the
/// message is sent again with the same idempotency key, so the receiver can tell it is the same message.
/// Every attempt is logged in <c>outbox_attempts</c>.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IEnumerable<IOutboxChannel> channels,
    ConnectorStore connectors,
    Readiness readiness,
    PlatformSettings settings,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>Attempts before a message is given up, unless its connector sets <c>retries</c>.</summary>
    public const int MaxAttempts = 10;

    private const int BatchSize = 20;

    private readonly Dictionary<string, IOutboxChannel> byKind = channels.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    private readonly string node = settings.NodeName ?? $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WhenReady.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested && !readiness.IsReady)
        {
            return;
        }

        // Nothing ends this loop but the stop: a database outage (or any other failure) is waited out with backoff.
        var backoff = new OutageBackoff(logger, "Outbox dispatcher");
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(50, settings.OutboxPollMs));
            try
            {
                var taken = await DispatchAsync(stoppingToken);
                backoff.Succeeded();
                if (taken == BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                wait = backoff.Failed(e);
            }

            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims one batch (due messages and messages whose lease ran out), sends them in parallel and records the outcomes; returns how many it took.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var kinds = byKind.Values.Where(c => c.Enabled).Select(c => c.Kind).ToArray();
        if (kinds.Length == 0)
        {
            return 0;
        }

        var token = Guid.NewGuid();
        var claimed = new List<(Guid Id, string Kind, string Key, JsonObject Payload, int Attempt, bool Expired, string? PreviousNode)>();
        await using (var cmd = dataSource.CreateCommand("""
            with due as (
              select o.id, o.status, o.claimed_by, o.attempts from outbox o
              where ((o.status = 'pending' and o.next_attempt_at <= $1) or (o.status = 'sending' and o.lease_until <= $1 and o.attempts < $8)) and o.kind = any($3)
              order by o.next_attempt_at limit $2 for update skip locked),
            given_up as (
              update outbox set status = 'failed', lease_until = null, last_error = 'lease expired on the last attempt: the node stopped mid-send ' || attempts || ' times'
              where status = 'sending' and lease_until <= $1 and attempts >= $8 and kind = any($3)),
            lost as (
              insert into outbox_attempts (outbox_id, attempt, at, node, outcome, error)
              select id, attempts, $1, coalesce(claimed_by, '?'), 'lost', 'lease expired: the node did not report the outcome (stopped mid-send?)'
              from due where status = 'sending' and attempts > 0
              on conflict (outbox_id, attempt) do nothing)
            update outbox o set status = 'sending', attempts = o.attempts + 1, claimed_by = $4, claim_token = $5,
              lease_until = $1 + make_interval(secs => $6 + coalesce((
                select least(60, greatest(1, (c.settings->>'timeoutSeconds')::int)) from connectors c
                where c.app_key = o.payload->>'app' and c.key = o.payload->>'connector'), $7))
            from due where o.id = due.id
            returning o.id, o.kind, o.idempotency_key, o.payload::text, o.attempts, due.status = 'sending', due.claimed_by
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            cmd.Parameters.Add(new NpgsqlParameter { Value = kinds });
            cmd.Parameters.Add(new NpgsqlParameter { Value = node });
            cmd.Parameters.Add(new NpgsqlParameter { Value = token });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, settings.OutboxLeaseMarginSeconds) });
            // Messages without a connector use the default timeout, or the HTTP SMS gateway's when that is longer.
            cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(Connector.DefaultTimeoutSeconds, Math.Clamp(settings.Sms.TimeoutSeconds, 1, 60)) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = MaxAttempts });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                claimed.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), (JsonObject)JsonNode.Parse(reader.GetString(3))!, reader.GetInt32(4),
                    reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        foreach (var c in claimed.Where(c => c.Expired))
        {
            logger.LogWarning("Outbox {Kind} {Key}: lease of {Node} expired; sending again with the same idempotency key (attempt {Attempt})", c.Kind, c.Key, c.PreviousNode, c.Attempt);
        }

        await Task.WhenAll(claimed.Select(c => SendOneAsync(c.Id, c.Kind, c.Key, c.Payload, c.Attempt, token, ct)));
        return claimed.Count;
    }

    private async Task SendOneAsync(Guid id, string kind, string key, JsonObject payload, int attempt, Guid token, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string outcome;
        string? error = null;
        int? status = null;
        var maxAttempts = MaxAttempts;
        try
        {
            var connector = await ConnectorAsync(payload, ct);
            if (connector is not null)
            {
                maxAttempts = connector.Retries + 1;
            }

            var delivery = await byKind[kind].SendAsync(new OutboxMessage(id, kind, key, payload, attempt, connector), ct);
            status = delivery.StatusCode;
            outcome = "sent";
        }
        catch (OutboundRefusedException e)
        {
            outcome = "refused";
            error = e.Message;
            logger.LogWarning("Outbox {Kind} {Key} refused: {Reason}", kind, key, e.Message);
        }
        catch (OutboxDeliveryException e) when (e.Permanent)
        {
            outcome = "failed";
            error = e.Message;
            status = e.StatusCode;
            logger.LogWarning("Outbox {Kind} {Key} failed permanently (attempt {Attempt}): {Error}", kind, key, attempt, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The node is stopping: hand the message back now instead of leaving it to its lease.
            outcome = "retry";
            error = "the node stopped while sending";
        }
        catch (Exception e)
        {
            outcome = attempt >= maxAttempts ? "failed" : "retry";
            error = e.Message;
            status = (e as OutboxDeliveryException)?.StatusCode ?? (int?)(e as HttpRequestException)?.StatusCode;
            logger.LogWarning("Outbox {Kind} {Key} failed (attempt {Attempt} of {Max}): {Error}", kind, key, attempt, maxAttempts, e.Message);
        }

        // Written even when shutting down: the send has happened (or not) and must not be repeated for nothing.
        var now = time.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        var update = new NpgsqlBatchCommand(outcome switch
        {
            "sent" => "update outbox set status = 'sent', sent_at = $2, lease_until = null, last_error = null where id = $1 and claim_token = $3",
            "retry" => "update outbox set status = 'pending', lease_until = null, last_error = $4, next_attempt_at = $2 + make_interval(secs => least(3600, power(2, attempts) * 5)) where id = $1 and claim_token = $3",
            _ => $"update outbox set status = '{outcome}', lease_until = null, last_error = $4 where id = $1 and claim_token = $3",
        });
        update.Parameters.Add(new NpgsqlParameter { Value = id });
        update.Parameters.Add(new NpgsqlParameter { Value = now });
        update.Parameters.Add(new NpgsqlParameter { Value = token });
        if (outcome != "sent")
        {
            update.Parameters.Add(new NpgsqlParameter { Value = error! });
        }

        batch.BatchCommands.Add(update);
        var log = new NpgsqlBatchCommand("""
            insert into outbox_attempts (outbox_id, attempt, at, node, outcome, status_code, error, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (outbox_id, attempt) do update set at = excluded.at, node = excluded.node, outcome = excluded.outcome,
              status_code = excluded.status_code, error = excluded.error, duration_ms = excluded.duration_ms
            """);
        log.Parameters.Add(new NpgsqlParameter { Value = id });
        log.Parameters.Add(new NpgsqlParameter { Value = attempt });
        log.Parameters.Add(new NpgsqlParameter { Value = now });
        log.Parameters.Add(new NpgsqlParameter { Value = node });
        log.Parameters.Add(new NpgsqlParameter { Value = outcome });
        log.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        log.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        log.Parameters.Add(new NpgsqlParameter { Value = (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds) });
        batch.BatchCommands.Add(log);
        await RecordOutcomeAsync(batch, kind, key, outcome, ct);
    }

    /// <summary>
    /// Writes a send's outcome, waiting out a database outage: the message has been sent (or not), and an outcome that
    /// is not written leaves the lease to run out and the message to be sent again. Only a stopping node gives up, and
    /// then the idempotency key lets the receiver recognise the resend.
    /// </summary>
    private async Task RecordOutcomeAsync(NpgsqlBatch batch, string kind, string key, string outcome, CancellationToken ct)
    {
        var backoff = new OutageBackoff(logger, $"Outbox {kind} {key}: recording '{outcome}'");
        while (true)
        {
            try
            {
                await batch.ExecuteNonQueryAsync(CancellationToken.None);
                backoff.Succeeded();
                return;
            }
            catch (Exception e) when (OutageBackoff.IsOutage(e) && !ct.IsCancellationRequested)
            {
                // The data source's batch takes a fresh connection from the pool on every try.
                await Task.Delay(backoff.Failed(e), CancellationToken.None);
            }
        }
    }

    private async Task<Connector?> ConnectorAsync(JsonObject payload, CancellationToken ct)
    {
        if (payload["connector"]?.ToString() is not { Length: > 0 } key)
        {
            return null;
        }

        var app = payload["app"]?.ToString();
        if (string.IsNullOrEmpty(app))
        {
            throw OutboxDeliveryException.BadPayload($"connector '{key}' needs the payload's app");
        }

        return await connectors.FindAsync(app, key, withSecret: true, ct)
            ?? throw OutboxDeliveryException.BadPayload($"app '{app}' has no connector '{key}'");
    }
}
