using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;
using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>
/// Imports a template package: validates all of it first (definitions and seed rows), then writes the
/// app, its version, unique indexes and seed records in one transaction. Any problem → nothing written.
/// Importing a package equal to the installed app changes nothing; a different one publishes a new version.
/// </summary>
public sealed class AppImporter(
    NpgsqlDataSource dataSource, RecordStore store, PackageValidation validation, AppCatalog catalog, FieldIndexManager indexes, FlowValidator flowValidator,
    Platform.Core.Rules.RuleValidator ruleValidator, Platform.Runtime.Execution.Rules.RuleTimers ruleTimers, Reports.ReportRollups rollups, Reports.ReportProjections projections, Aggregates.RecordAggregates aggregates, Reports.ReportSchedules reportSchedules, TimeProvider time, ILogger<AppImporter> logger,
    DefinitionValidator definitions)
{
    /// <summary>
    /// Imports a package; with <paramref name="createOnly"/> an installed app of the same key is a problem on
    /// <c>$.app.key</c> instead of a new version (creating a blank app or a copy of a template must never replace one).
    /// </summary>
    public async Task<ImportResult> ImportAsync(JsonObject body, string by, CancellationToken ct, bool buildIndexes = true, bool createOnly = false)
    {
        // Creating a unique index in the import's transaction can deadlock with a background CREATE INDEX CONCURRENTLY
        // of another app's import (both wait on each other's transactions); the import rolled back whole, so try again.
        return await DeadlockRetry.RunAsync(() => ImportOnceAsync(body, by, ct, buildIndexes, createOnly), logger, $"Import of {body["app"]?["key"]}", DeadlockRetry.IndexBuildDelay, ct);
    }

    private async Task<ImportResult> ImportOnceAsync(JsonObject body, string by, CancellationToken ct, bool buildIndexes, bool createOnly)
    {
        var package = PackageReader.Read(body, out var readProblems);
        if (package is null)
        {
            return new ImportResult(null, 0, false, 0, readProblems);
        }

        var now = time.GetUtcNow();
        var app = PackageMapper.ToDefinition(package);
        var checkedPackage = validation.Validate(package, app, by, now);
        if (checkedPackage.Problems.Count > 0)
        {
            return new ImportResult(app.Key, 0, false, 0, checkedPackage.Problems);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        int? currentVersion = null;
        string? currentJson = null;
        await using (var cmd = new NpgsqlCommand("select version, definition::text from apps where key = $1 for update", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                currentVersion = reader.GetInt32(0);
                currentJson = reader.GetString(1);
            }
        }

        if (createOnly && currentVersion is not null)
        {
            return new ImportResult(app.Key, 0, false, 0, [new PackageProblem("$.app.key", $"应用标识 '{app.Key}' 已被使用 / an app with this key exists")]);
        }

        if (currentVersion is { } cv && currentJson is not null)
        {
            var current = JsonSerializer.Deserialize<AppDefinition>(currentJson, MetadataJson.Options)!;
            if (SameDefinition(current, app))
            {
                return new ImportResult(app.Key, cv, false, 0, []);
            }
        }

        var version = (currentVersion ?? 0) + 1;
        app = app with { Version = version, Flows = await FlowCatalog.AssignVersionsAsync(app.Key, app.Flows, by, now, connection, transaction, ct) };
        var json = JsonSerializer.Serialize(app, MetadataJson.Options);
        var sql = currentVersion is null
            ? "insert into apps (key, name, version, definition, created_at, updated_at) values ($1, $2, $3, $4::jsonb, $5, $5)"
            : "update apps set name = $2, version = $3, definition = $4::jsonb, updated_at = $5 where key = $1";
        await using (var cmd = new NpgsqlCommand(sql, connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = version });
            cmd.Parameters.Add(new NpgsqlParameter { Value = json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand(
            "insert into app_versions (app_key, version, definition, published_at, published_by) values ($1, $2, $3::jsonb, $4, $5)", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = version });
            cmd.Parameters.Add(new NpgsqlParameter { Value = json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            cmd.Parameters.Add(new NpgsqlParameter { Value = by });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await FieldIndexManager.EnsureUniqueIndexesAsync(app, connection, transaction, ct);
        await ruleTimers.SyncSchedulesAsync(app, connection, transaction, ct);
        await reportSchedules.SyncAsync(app, connection, transaction, ct);

        var seeded = 0;
        if (currentVersion is null)
        {
            foreach (var row in checkedPackage.SeedRows)
            {
                try
                {
                    await store.InsertAsync(
                        new NewRecord(row.Id, app.Key, row.Entity, row.Data, version, now, by, row.AutoNumbers), connection, transaction, ct);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    var entity = app.FindEntity(row.Entity)!;
                    var field = FieldIndexManager.FieldOfUniqueIndex(app, entity, e.ConstraintName) ?? "id";
                    return new ImportResult(app.Key, 0, false, 0, [new PackageProblem($"{row.Path}.{field}", "duplicate value for a unique field / 唯一字段的值重复")]);
                }

                seeded++;
            }
        }

        await transaction.CommitAsync(ct);
        catalog.Invalidate(app.Key);
        logger.LogInformation("Imported app {App} version {Version} ({Seeded} seed records)", app.Key, version, seeded);
        await aggregates.SyncAsync(app, ct);
        await rollups.SyncAsync(app, ct);
        await projections.SyncAsync(app, ct);
        if (buildIndexes)
        {
            _ = Task.Run(() => indexes.EnsureIndexesAsync(app, CancellationToken.None), CancellationToken.None);
        }

        return new ImportResult(app.Key, version, currentVersion is null, seeded, []);
    }

    /// <summary>
    /// What importing the package would do, written nowhere: what it creates (entities with their field counts, flows,
    /// rules, reports, dashboards, public forms, seed rows) or every problem at its JSON path.
    /// </summary>
    public async Task<ImportPreview> PreviewAsync(JsonObject body, string by, CancellationToken ct)
    {
        var package = PackageReader.Read(body, out var readProblems);
        if (package is null)
        {
            return new ImportPreview(null, null, null, readProblems);
        }

        var app = PackageMapper.ToDefinition(package);
        var checkedPackage = validation.Validate(package, app, by, time.GetUtcNow());
        var installed = await catalog.GetAsync(app.Key, ct);
        return new ImportPreview(app, installed?.Version, package.Seed?.ToDictionary(s => s.Key, s => s.Value.Count), checkedPackage.Problems);
    }

    /// <summary>
    /// Publishes one entity (new or changed, with its form layout) as a new app version: the whole app is checked with the
    /// entity in place, problems of the entity are reported relative to it (<c>$.fields[2].key</c>) and problems it causes
    /// elsewhere (a public form or flow naming a removed field) at their own path. Unique indexes are created in the same
    /// transaction (existing duplicates are a problem on the field), the entity's draft is deleted, expression indexes are
    /// built in the background. Publishing the published definition again changes nothing.
    /// </summary>
    public async Task<(EntityDefinition? Entity, int Version, IReadOnlyList<PackageProblem> Problems)> PublishEntityAsync(
        string appKey, EntityDefinition entity, string by, CancellationToken ct)
    {
        // As for imports: a unique index built in the transaction may lose a deadlock to a background index build.
        return await DeadlockRetry.RunAsync(() => PublishEntityOnceAsync(appKey, entity, by, ct), logger, $"Publishing {appKey}/{entity.Key}", DeadlockRetry.IndexBuildDelay, ct);
    }

    private async Task<(EntityDefinition? Entity, int Version, IReadOnlyList<PackageProblem> Problems)> PublishEntityOnceAsync(
        string appKey, EntityDefinition entity, string by, CancellationToken ct)
    {
        AppDefinition app;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var current = await LoadForPublishAsync(appKey, connection, transaction, ct);
            if (current is null)
            {
                return (null, 0, [new PackageProblem("$.app", $"没有应用 '{appKey}'")]);
            }

            var entities = current.Entities.ToList();
            var index = entities.FindIndex(e => e.Key == entity.Key);
            var published = index >= 0 ? entities[index] : null;
            if (published is not null && JsonNode.DeepEquals(
                JsonSerializer.SerializeToNode(published with { Version = 0 }, MetadataJson.Options),
                JsonSerializer.SerializeToNode(entity with { Version = 0 }, MetadataJson.Options)))
            {
                await DraftStore.DeleteAsync(appKey, "entity", entity.Key, connection, transaction, ct);
                await transaction.CommitAsync(ct);
                return (published, current.Version, []);
            }

            var next = entity with { Version = (published?.Version ?? 0) + 1 };
            if (index >= 0)
            {
                entities[index] = next;
            }
            else
            {
                entities.Add(next);
                index = entities.Count - 1;
            }

            var changed = current with { Entities = entities, Version = current.Version + 1 };
            var at = $"$.entities[{index}]";
            var before = definitions.Validate(current).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
            var problems = definitions.Validate(changed)
                .Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal) || p.Path == at || !before.Contains(p.Path))
                .Select(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal) ? new PackageProblem("$" + p.Path[at.Length..], p.Message) : new PackageProblem(p.Path, p.Message))
                .ToList();
            if (problems.Count > 0)
            {
                return (null, 0, problems);
            }

            app = changed;
            await WriteAppVersionAsync(app, by, time.GetUtcNow(), connection, transaction, ct);
            try
            {
                await FieldIndexManager.EnsureUniqueIndexesAsync(app, connection, transaction, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                var field = next.Fields.Select((f, i) => (f, i)).Where(p => p.f.Unique && published?.FindField(p.f.Key)?.Unique != true).Select(p => p.i).DefaultIfEmpty(-1).First();
                return (null, 0, [new PackageProblem(field >= 0 ? $"$.fields[{field}].unique" : "$.fields", "已有记录的值重复，不能设为唯一 / existing records repeat a value, so it cannot be unique")]);
            }

            await DraftStore.DeleteAsync(appKey, "entity", entity.Key, connection, transaction, ct);
            await reportSchedules.SyncAsync(app, connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }

        catalog.Invalidate(app.Key);
        logger.LogInformation("Published entity {App}/{Entity} in app version {Version}", app.Key, entity.Key, app.Version);
        await aggregates.SyncAsync(app, ct);
        await rollups.SyncAsync(app, ct);
        await projections.SyncAsync(app, ct);
        _ = Task.Run(() => indexes.EnsureIndexesAsync(app, CancellationToken.None), CancellationToken.None);
        return (app.FindEntity(entity.Key), app.Version, []);
    }

    /// <summary>
    /// Publishes one flow: checked by the flow validator, then written as the flow's next immutable version and a
    /// new app version, in one transaction. Running instances stay on the version they started with.
    /// </summary>
    public async Task<(FlowDefinition? Flow, IReadOnlyList<PackageProblem> Problems)> PublishFlowAsync(string appKey, FlowDefinition flow, string by, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var app = await LoadForPublishAsync(appKey, connection, transaction, ct);
        if (app is null)
        {
            return (null, [new PackageProblem("$.app", $"没有应用 '{appKey}'")]);
        }

        var problems = flowValidator.Validate(flow, app.FindEntity(flow.Entity ?? string.Empty)).ToList();
        MobileJobChecks.Validate(
            flow, app.FindEntity(flow.Entity ?? string.Empty), app.Entities.ToDictionary(e => e.Key, StringComparer.Ordinal), "$", (path, message) => problems.Add(new DefinitionProblem(path, message)));
        if (problems.Count > 0)
        {
            return (null, problems.Select(p => new PackageProblem(p.Path, p.Message)).ToList());
        }

        var now = time.GetUtcNow();
        var flows = app.Flows.Where(f => f.Key != flow.Key).Append(flow).ToList();
        var versioned = await FlowCatalog.AssignVersionsAsync(app.Key, flows, by, now, connection, transaction, ct);
        var published = versioned.Single(f => f.Key == flow.Key);
        if (app.FindFlow(flow.Key)?.Version == published.Version)
        {
            return (published, []);
        }

        app = app with { Version = app.Version + 1, Flows = versioned };
        await WriteAppVersionAsync(app, by, now, connection, transaction, ct);

        await transaction.CommitAsync(ct);
        catalog.Invalidate(app.Key);
        logger.LogInformation("Published flow {App}/{Flow} version {Version}", app.Key, flow.Key, published.Version);
        return (published, []);
    }

    /// <summary>
    /// Publishes one rule (new or changed, e.g. enabled or disabled): the app's rules are checked together, then
    /// written as a new app version with the schedule timers brought in line, in one transaction.
    /// </summary>
    public async Task<(Platform.Core.Rules.Definitions.RuleDefinition? Rule, IReadOnlyList<PackageProblem> Problems)> PublishRuleAsync(
        string appKey, Platform.Core.Rules.Definitions.RuleDefinition rule, string by, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var app = await LoadForPublishAsync(appKey, connection, transaction, ct);
        if (app is null)
        {
            return (null, [new PackageProblem("$.app", $"没有应用 '{appKey}'")]);
        }

        var rules = app.Rules.ToList();
        var index = rules.FindIndex(r => r.Key == rule.Key);
        if (index >= 0)
        {
            rules[index] = rule;
        }
        else
        {
            rules.Add(rule);
            index = rules.Count - 1;
        }

        // Only this rule's problems: "$.rules[1]." must not also take those of "$.rules[10]".
        var at = $"$.rules[{index}]";
        var problems = ruleValidator.Validate(app, rules).Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0)
        {
            return (null, problems.Select(p => new PackageProblem("$" + p.Path[at.Length..], p.Message)).ToList());
        }

        var now = time.GetUtcNow();
        app = app with { Version = app.Version + 1, Rules = rules };
        await WriteAppVersionAsync(app, by, now, connection, transaction, ct);

        await ruleTimers.SyncSchedulesAsync(app, connection, transaction, ct);
        await reportSchedules.SyncAsync(app, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        catalog.Invalidate(app.Key);
        logger.LogInformation("Published rule {App}/{Rule} in app version {Version}", app.Key, rule.Key, app.Version);
        return (rule, []);
    }

    /// <summary>
    /// Publishes one report (new or changed): checked against the app's metadata, written as a new app version, then its
    /// rollup rebuilt when it keeps one and its indexes built in the background.
    /// </summary>
    public async Task<(Platform.Core.Reports.Definitions.ReportDefinition? Report, IReadOnlyList<PackageProblem> Problems)> PublishReportAsync(
        string appKey, Platform.Core.Reports.Definitions.ReportDefinition report, string by, CancellationToken ct)
    {
        var (app, problems) = await PublishPartAsync(
            appKey,
            by,
            current =>
            {
                var reports = current.Reports.ToList();
                var index = reports.FindIndex(r => r.Key == report.Key);
                if (index >= 0)
                {
                    reports[index] = report;
                }
                else
                {
                    reports.Add(report);
                    index = reports.Count - 1;
                }

                var changed = current with { Reports = reports };
                var at = $"$.reports[{index}]";
                var found = Platform.Core.Reports.ReportValidator.ValidateReport(changed, report, at);
                return (changed, found.Select(p => new PackageProblem("$" + p.Path[at.Length..], p.Message)).ToList());
            },
            ct);
        return (problems.Count == 0 ? report : null, problems);
    }

    /// <summary>Publishes one dashboard (new or changed) as a new app version.</summary>
    public async Task<(Platform.Core.Reports.Definitions.DashboardDefinition? Dashboard, IReadOnlyList<PackageProblem> Problems)> PublishDashboardAsync(
        string appKey, Platform.Core.Reports.Definitions.DashboardDefinition dashboard, string by, CancellationToken ct)
    {
        var (_, problems) = await PublishPartAsync(
            appKey,
            by,
            current =>
            {
                var dashboards = current.Dashboards.ToList();
                var index = dashboards.FindIndex(d => d.Key == dashboard.Key);
                if (index >= 0)
                {
                    dashboards[index] = dashboard;
                }
                else
                {
                    dashboards.Add(dashboard);
                    index = dashboards.Count - 1;
                }

                var changed = current with { Dashboards = dashboards };
                var at = $"$.dashboards[{index}]";
                var found = Platform.Core.Reports.ReportValidator.Validate(changed).Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal));
                return (changed, found.Select(p => new PackageProblem("$" + p.Path[at.Length..], p.Message)).ToList());
            },
            ct);
        return (problems.Count == 0 ? dashboard : null, problems);
    }

    /// <summary>Publishes one print template (new or changed) as a new app version; problems are relative to the template (<c>$.html</c>).</summary>
    public async Task<(Platform.Core.Printing.PrintTemplateDefinition? Template, IReadOnlyList<PackageProblem> Problems)> PublishPrintTemplateAsync(
        string appKey, Platform.Core.Printing.PrintTemplateDefinition template, string by, CancellationToken ct)
    {
        var (_, problems) = await PublishPartAsync(
            appKey,
            by,
            current =>
            {
                var templates = current.PrintTemplates.ToList();
                var index = templates.FindIndex(t => t.Key == template.Key);
                if (index >= 0)
                {
                    templates[index] = template;
                }
                else
                {
                    templates.Add(template);
                    index = templates.Count - 1;
                }

                var changed = current with { PrintTemplates = templates };
                var at = $"$.printTemplates[{index}]";
                var found = Platform.Core.Printing.PrintTemplateValidator.Validate(changed).Where(p => p.Path.StartsWith(at + ".", StringComparison.Ordinal));
                return (changed, found.Select(p => new PackageProblem("$" + p.Path[at.Length..], p.Message)).ToList());
            },
            ct);
        return (problems.Count == 0 ? template : null, problems);
    }

    private async Task<(AppDefinition? App, IReadOnlyList<PackageProblem> Problems)> PublishPartAsync(
        string appKey, string by, Func<AppDefinition, (AppDefinition Changed, List<PackageProblem> Problems)> change, CancellationToken ct)
    {
        AppDefinition app;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var current = await LoadForPublishAsync(appKey, connection, transaction, ct);
            if (current is null)
            {
                return (null, [new PackageProblem("$.app", $"没有应用 '{appKey}'")]);
            }

            var (changed, problems) = change(current);
            if (problems.Count > 0)
            {
                return (null, problems);
            }

            app = changed with { Version = current.Version + 1 };
            await WriteAppVersionAsync(app, by, time.GetUtcNow(), connection, transaction, ct);
            await reportSchedules.SyncAsync(app, connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }

        catalog.Invalidate(app.Key);
        logger.LogInformation("Published app {App} version {Version}", app.Key, app.Version);
        await aggregates.SyncAsync(app, ct);
        await rollups.SyncAsync(app, ct);
        await projections.SyncAsync(app, ct);
        _ = Task.Run(() => indexes.EnsureIndexesAsync(app, CancellationToken.None), CancellationToken.None);
        return (app, []);
    }

    /// <summary>The installed app's definition, locked until the publish commits (publishes of one app take turns).</summary>
    private static async Task<AppDefinition?> LoadForPublishAsync(string appKey, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select definition::text from apps where key = $1 for update", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = appKey });
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<AppDefinition>(json, MetadataJson.Options) : null;
    }

    /// <summary>Writes a published app definition as the app's current version and into its version history.</summary>
    private static async Task WriteAppVersionAsync(AppDefinition app, string by, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var appJson = JsonSerializer.Serialize(app, MetadataJson.Options);
        await using (var cmd = new NpgsqlCommand("update apps set version = $2, definition = $3::jsonb, updated_at = $4 where key = $1", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Version });
            cmd.Parameters.Add(new NpgsqlParameter { Value = appJson });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand(
            "insert into app_versions (app_key, version, definition, published_at, published_by) values ($1, $2, $3::jsonb, $4, $5)", connection, transaction))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = app.Version });
            cmd.Parameters.Add(new NpgsqlParameter { Value = appJson });
            cmd.Parameters.Add(new NpgsqlParameter { Value = now });
            cmd.Parameters.Add(new NpgsqlParameter { Value = by });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    // jsonb reorders object keys, so compare as JSON trees (key order ignored), not as text.
    private static bool SameDefinition(AppDefinition a, AppDefinition b) =>
        JsonNode.DeepEquals(
            JsonSerializer.SerializeToNode(Unversioned(a), MetadataJson.Options),
            JsonSerializer.SerializeToNode(Unversioned(b), MetadataJson.Options));

    private static AppDefinition Unversioned(AppDefinition app) =>
        app with { Version = 0, Flows = app.Flows.Select(f => f with { Version = 0 }).ToList() };
}
