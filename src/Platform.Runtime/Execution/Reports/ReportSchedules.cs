using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;
using Platform.Core.Rules;
using Platform.Runtime.Integrations;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Scheduled report e-mails on the flow engine's timer rows (claimed with SKIP LOCKED, fired once): each schedule of
/// each report has one pending <c>report-schedule</c> timer at its next cron occurrence (China time). Firing computes
/// the report and puts one e-mail — HTML table plus xlsx/csv attachment, to the schedule's addresses and the active
/// users holding its roles — in the outbox, and writes the next occurrence's timer, in the claiming transaction.
/// </summary>
public sealed class ReportSchedules(AppCatalog apps, ReportService reports, TimeProvider time, ILogger<ReportSchedules> logger)
{
    public const string Kind = "report-schedule";

    /// <summary>
    /// After an import or publish: removes the timers of schedules that are gone or whose cron changed and adds one at
    /// the next occurrence for each schedule without one; a schedule that did not change keeps its pending timer.
    /// </summary>
    public async Task SyncAsync(AppDefinition app, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var wanted = app.Reports.SelectMany(r => r.Schedules.Select(s => (Report: r.Key, Schedule: s.Key, s.Cron))).ToHashSet();
        var kept = new HashSet<(string Report, string Schedule, string Cron)>();
        var stale = new List<Guid>();
        await using (var cmd = new NpgsqlCommand(
            "select id, payload->>'report', payload->>'schedule', payload->>'cron' from timers where kind = $1 and payload->>'app' = $2", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Kind });
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (reader.IsDBNull(1) ? string.Empty : reader.GetString(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2), reader.IsDBNull(3) ? string.Empty : reader.GetString(3));
                if (wanted.Contains(key) && kept.Add(key))
                {
                    continue;
                }

                stale.Add(reader.GetGuid(0));
            }
        }

        if (stale.Count > 0)
        {
            await using var delete = new NpgsqlCommand("delete from timers where id = any($1)", connection, transaction);
            delete.Parameters.Add(new NpgsqlParameter { Value = stale.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await delete.ExecuteNonQueryAsync(ct);
        }

        var now = time.GetUtcNow();
        foreach (var schedule in wanted.Where(w => !kept.Contains(w)))
        {
            if (RuleSchedule.Next(schedule.Cron, null, now) is { } next)
            {
                await InsertAsync(connection, transaction, app.Key, schedule.Report, schedule.Schedule, schedule.Cron, next, ct);
            }
        }
    }

    /// <summary>Fires one claimed timer inside the claiming transaction: deletes it, sets the next occurrence, enqueues the e-mail.</summary>
    public async Task FireAsync(FlowTimer timer, JsonObject payload, string node, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // The fired row goes first: one pending timer per schedule (a unique index), and the next one is written below.
        await using (var done = new NpgsqlBatch(connection, transaction) { BatchCommands = { FlowStore.FiredTimerCommand(timer, now, node) } })
        {
            await done.ExecuteNonQueryAsync(ct);
        }

        var appKey = payload["app"]?.GetValue<string>() ?? string.Empty;
        var app = await apps.GetAsync(appKey, ct);
        var report = app?.FindReport(payload["report"]?.GetValue<string>() ?? string.Empty);
        var schedule = report?.Schedules.FirstOrDefault(s => s.Key == payload["schedule"]?.GetValue<string>());
        if (app is null || report is null || schedule is null)
        {
            logger.LogInformation("Report schedule timer {Timer} ({Payload}) no longer has its schedule; dropped", timer.Id, payload.ToJsonString());
            return;
        }

        // After the occurrence that fired, not after now: a timer fired early (a test clock) must not be set again for itself.
        var occurrence = timer.DueAt;
        if (DateTimeOffset.TryParse(payload["at"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            occurrence = at;
        }

        if (RuleSchedule.Next(schedule.Cron, null, occurrence > now ? occurrence : now) is { } next)
        {
            await InsertAsync(connection, transaction, app.Key, report.Key, schedule.Key, schedule.Cron, next, ct);
        }

        if (payload["cron"]?.GetValue<string>() != schedule.Cron)
        {
            // Set under a cron the schedule no longer has (a publish raced this timer): only its replacement counts.
            return;
        }

        ReportData data;
        try
        {
            data = await reports.RunAsync(app, report, ReportRequest.Empty(now), ct);
        }
        catch (ReportCompileException e)
        {
            logger.LogWarning("Scheduled report {App}/{Report} ({Schedule}) cannot be computed: {Error}", app.Key, report.Key, schedule.Key, e.Message);
            return;
        }

        var to = await RecipientsAsync(schedule, connection, transaction, ct);
        if (to.Count == 0)
        {
            logger.LogWarning("Scheduled report {App}/{Report} ({Schedule}) has no recipient with an e-mail address", app.Key, report.Key, schedule.Key);
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        OutboxCommands.Insert(
            batch, OutboxKinds.Email, IdempotencyKey(app.Key, report.Key, schedule.Key, occurrence), ReportMail.Payload(app.Key, report, schedule, data, to, now), now);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One e-mail per occurrence: the key of the outbox row of that occurrence.</summary>
    public static string IdempotencyKey(string app, string report, string schedule, DateTimeOffset occurrence) =>
        $"report-schedule:{app}:{report}:{schedule}:{occurrence.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>The schedule's addresses, then the e-mails of the active users holding its roles; each once.</summary>
    private static async Task<List<string>> RecipientsAsync(ReportSchedule schedule, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var to = new List<string>(schedule.To.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()));
        if (schedule.Roles.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(
                "select email from users where is_active and roles && $1 and coalesce(email, '') <> '' order by user_name", connection, transaction);
            cmd.Parameters.Add(new NpgsqlParameter { Value = schedule.Roles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                to.Add(reader.GetString(0));
            }
        }

        return to.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string app, string report, string schedule, string cron, DateTimeOffset due, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into timers (id, step, kind, due_at, payload) values ($1, $2, $3, $4, $5::jsonb)
            on conflict ((payload->>'app'), (payload->>'report'), (payload->>'schedule')) where kind = 'report-schedule' do nothing
            """, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"{report}.{schedule}" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = due });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = new JsonObject
            {
                ["app"] = app, ["report"] = report, ["schedule"] = schedule, ["cron"] = cron,
                ["at"] = due.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            }.ToJsonString(),
            NpgsqlDbType = NpgsqlDbType.Jsonb,
        });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
