using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution;

/// <summary>
/// Sends what commands left in the outbox after they committed: e-mail over SMTP (MailKit) and webhooks over
/// HTTP. Rows are claimed with SKIP LOCKED; a failure backs off and retries; every message carries its
/// idempotency key (Message-Id, Idempotency-Key header) so a send repeated after a crash is recognisable.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource, IHttpClientFactory http, Readiness readiness, PlatformSettings settings, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private const int MaxAttempts = 10;

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

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchAsync(stoppingToken) == BatchSize)
                {
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(50, settings.OutboxPollMs)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(e, "Outbox dispatcher could not poll; trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many messages it took.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = new List<(Guid Id, string Kind, string Key, JsonObject Payload, int Attempts)>();
        await using (var cmd = new NpgsqlCommand(
            "select id, kind, idempotency_key, payload::text, attempts from outbox where status = 'pending' and next_attempt_at <= $1 and (kind <> 'email' or $3) order by next_attempt_at limit $2 for update skip locked",
            connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            cmd.Parameters.Add(new NpgsqlParameter { Value = settings.Smtp.Enabled });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                batch.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), (JsonObject)JsonNode.Parse(reader.GetString(3))!, reader.GetInt32(4)));
            }
        }

        foreach (var message in batch)
        {
            string? error = null;
            try
            {
                await SendAsync(message.Kind, message.Key, message.Payload, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = e.Message;
                logger.LogWarning("Outbox {Kind} {Key} failed (attempt {Attempt}): {Error}", message.Kind, message.Key, message.Attempts + 1, e.Message);
            }

            await using var update = new NpgsqlCommand(error is null
                ? "update outbox set status = 'sent', sent_at = $2, attempts = attempts + 1 where id = $1"
                : "update outbox set attempts = attempts + 1, last_error = $3, status = case when attempts + 1 >= $4 then 'failed' else 'pending' end, next_attempt_at = $2 + make_interval(secs => least(3600, power(2, attempts + 1) * 5)) where id = $1",
                connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = message.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            if (error is not null)
            {
                update.Parameters.Add(new NpgsqlParameter { Value = error });
                update.Parameters.Add(new NpgsqlParameter { Value = MaxAttempts });
            }

            await update.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return batch.Count;
    }

    private async Task SendAsync(string kind, string key, JsonObject payload, CancellationToken ct)
    {
        switch (kind)
        {
            case "email":
                var smtp = settings.Smtp;
                if (!smtp.Enabled)
                {
                    throw new InvalidOperationException("SMTP is not configured (Platform:Smtp:Host)");
                }

                var mail = new MimeMessage { Subject = payload["subject"]?.ToString() ?? string.Empty, MessageId = $"{key.Replace(':', '.')}@platform" };
                mail.From.Add(MailboxAddress.Parse(smtp.From));
                mail.To.Add(MailboxAddress.Parse(payload["to"]!.ToString()));
                mail.Body = new TextPart("plain") { Text = payload["body"]?.ToString() ?? string.Empty };
                using (var client = new SmtpClient())
                {
                    await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
                    if (!string.IsNullOrEmpty(smtp.UserName))
                    {
                        await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, ct);
                    }

                    await client.SendAsync(mail, ct);
                    await client.DisconnectAsync(true, ct);
                }

                break;

            case "webhook":
                using (var request = new HttpRequestMessage(HttpMethod.Post, payload["url"]!.ToString())
                {
                    Content = new StringContent(payload["body"]?.ToJsonString() ?? "{}", System.Text.Encoding.UTF8, "application/json"),
                })
                {
                    request.Headers.Add("Idempotency-Key", key);
                    using var client = http.CreateClient("outbox");
                    client.Timeout = TimeSpan.FromSeconds(10);
                    using var response = await client.SendAsync(request, ct);
                    response.EnsureSuccessStatusCode();
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown outbox kind '{kind}'");
        }
    }
}
