using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Access;
using Platform.Core.Flows.Runtime;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>
/// Feeds the app home, record lists and record details from the same code as the records API: lists are compiled by
/// <see cref="RecordQueryCompiler"/> and read by <see cref="RecordStore"/>; cells are formatted like exports.
/// </summary>
public sealed class RecordBrowser(
    AppCatalog catalog, RecordStore store, FlowStore flowStore, FlowCatalog flowCatalog, InboxStore inbox, NpgsqlDataSource dataSource, RecordAccess access, CurrentUser currentUser) : IRecordBrowser
{
    public async Task<AppDefinition?> AppAsync(string app, CancellationToken ct) => await catalog.GetAsync(app, ct);

    public async Task<AppHomeView?> HomeAsync(string app, ClaimsPrincipal user, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var caller = await access.CallerAsync(user, ct);
        var permits = definition.Entities.Select(e => RecordPermit.For(e, caller)).ToList();
        await using (var cmd = dataSource.CreateCommand())
        {
            // One count per entity, each within the caller's read scope.
            cmd.Parameters.Add(new NpgsqlParameter { Value = app });
            var parts = permits.Where(p => p.Access.Read != RowScope.None).Select(p =>
            {
                var predicate = p.ReadPredicate("records", value =>
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = value });
                    return "$" + cmd.Parameters.Count;
                });
                return $"select {SqlIdentifiers.Literal(p.Entity.Key)}, count(*) from records where app_key = $1 and entity_key = {SqlIdentifiers.Literal(p.Entity.Key)}{(predicate is null ? string.Empty : " and " + predicate)}";
            }).ToList();
            if (parts.Count > 0)
            {
                cmd.CommandText = string.Join(" union all ", parts);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }
        }

        // Entities the caller may neither read nor create are not on their home page.
        definition = definition with { Entities = permits.Where(p => p.Access.Read != RowScope.None || p.Access.CanCreate).Select(p => p.Entity).ToList() };

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var tasks = await inbox.TasksAsync("todo", user.Identity?.Name ?? string.Empty, roles, 500, ct);
        return new AppHomeView(definition, counts, tasks.Where(t => t.App == app).Select(t => UiViews.Task(t, definition)).ToList());
    }

    public async Task<RecordListView> ListAsync(string app, string entity, RecordListQuery query, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var entityDefinition = definition?.FindEntity(entity);
        if (entityDefinition is null)
        {
            return new RecordListView([], 0, new Dictionary<string, IReadOnlyList<string>> { ["entity"] = [$"没有实体 '{entity}' / no such entity"] });
        }

        var permit = await access.ForAsync(entityDefinition, await currentUser.PrincipalAsync(), ct);
        entityDefinition = permit.VisibleEntity;
        var (compiled, errors) = RecordQueryCompiler.Compile(
            app, entityDefinition, query.Filters.Select(f => f.ToString()), query.Sort, query.Page.ToString(System.Globalization.CultureInfo.InvariantCulture),
            query.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (compiled is null)
        {
            return new RecordListView([], 0, errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }

        var page = await store.ListAsync(permit.Restrict(compiled), ct);
        var plans = ExportFieldPlan.For(definition!, entityDefinition.Fields);
        var lookups = new ExportLookups(app, RecordAccess.HiddenLabels(definition!, permit.Caller));
        foreach (var record in page.Items)
        {
            foreach (var plan in plans)
            {
                ExportCells.Collect(plan, record.Data[plan.Key], lookups);
            }

            lookups.WantUser(record.CreatedBy);
        }

        await ResolveAsync(lookups, ct);
        var ratings = entityDefinition.Fields.Where(RatingText.IsRating).ToList();
        var rows = page.Items.Select(r =>
        {
            var cells = plans.ToDictionary(p => p.Key, p => UiViews.Cell(p, r.Data[p.Key], lookups));
            cells["createdAt"] = ExportCells.Moment(r.CreatedAt);
            cells["updatedAt"] = ExportCells.Moment(r.UpdatedAt);
            cells["createdBy"] = lookups.User(r.CreatedBy);
            foreach (var rating in ratings)
            {
                if (RatingText.Stars(rating, r.Data[rating.Key]) is { } stars)
                {
                    cells[rating.Key] = stars;
                }
            }

            return new RecordRow(r.Id, cells);
        }).ToList();
        return new RecordListView(rows, page.Total, new Dictionary<string, IReadOnlyList<string>>()) { CanCreate = permit.Access.CanCreate };
    }

    public async Task<RecordDetailView?> DetailAsync(string app, string entity, Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var entityDefinition = definition?.FindEntity(entity);
        var record = entityDefinition is null ? null : await store.GetAsync(app, entity, id, ct);
        var permit = entityDefinition is null ? null : await access.ForAsync(entityDefinition, user, ct);
        if (record is null || !await access.AllowsAsync(permit!, permit!.Access.Read, id, ct))
        {
            return null;
        }

        record = record with { Data = permit.Visible(record.Data, await access.StepHiddenFieldsAsync(app, id, permit.Caller, ct)) };
        var plans = ExportFieldPlan.For(definition!, permit.VisibleEntity.Fields);
        var lookups = new ExportLookups(app, RecordAccess.HiddenLabels(definition!, permit.Caller));
        foreach (var plan in plans)
        {
            ExportCells.Collect(plan, record.Data[plan.Key], lookups);
        }

        lookups.WantUser(record.CreatedBy);
        lookups.WantUser(record.UpdatedBy);

        var states = await flowStore.FlowsOfRecordsAsync([id], ct);
        var instance = states.TryGetValue(id, out var state) ? await inbox.InstanceAsync(state.Instance, ct) : null;
        var snapshot = instance is null ? null : await flowStore.LoadAsync(instance.Id, ct);
        var flow = instance is null ? null : await flowCatalog.GetAsync(app, instance.Definition, instance.Version, ct);
        foreach (var h in instance?.History ?? [])
        {
            lookups.WantUser(h.By);
            foreach (var (key, value) in h.Fields ?? [])
            {
                if (plans.FirstOrDefault(p => p.Key == key) is { } plan)
                {
                    ExportCells.Collect(plan, value, lookups);
                }
            }
        }

        await ResolveAsync(lookups, ct);
        var fields = plans.ToDictionary(p => p.Key, p => Field(p, record.Data[p.Key], lookups));
        FlowView? flowView = null;
        if (instance is not null)
        {
            var actor = FlowService.Actor(user);
            var live = snapshot?.Instance;
            var running = instance.Status == FlowStatuses.Running && live is not null;
            var mine = running && flow is not null
                ? live!.Tasks.Where(t => t.Status == FlowTaskStatuses.Open && t.IsFor(actor)).Select(t => UiViews.Option(live, flow, t)).ToList()
                : [];
            var canWithdraw = running && !live!.Active.Any(a => a.Touched)
                && ((live.StartedBy == actor.UserName && live.LastDecision is null) || live.LastDecision?.By == actor.UserName);
            var canUrge = running && live!.StartedBy == actor.UserName && live.Tasks.Any(t => t.Status == FlowTaskStatuses.Open);
            var history = instance.History.Select(h => new FlowHistoryView(
                h.Seq, h.Step, h.StepName ?? flow?.FindStep(h.Step)?.Title ?? h.Step, h.Action, h.By.StartsWith("rule:", StringComparison.Ordinal) ? h.By : lookups.User(h.By),
                h.At, h.Comment, To(h, flow), Changes(h.Fields is null ? null : permit.Visible(h.Fields), plans, lookups))).ToList();
            flowView = new FlowView(
                instance.Id, flow?.Name ?? instance.Definition, instance.Status,
                instance.ActiveSteps.Select(s => new StepChoice(s, flow?.FindStep(s)?.Title ?? s)).ToList(),
                lookups.User(instance.StartedBy), instance.StartedAt, instance.EndedAt, history, mine, canWithdraw, canUrge);
        }

        return new RecordDetailView(
            record.Id, record.Version, record.Data, fields, record.CreatedAt, lookups.User(record.CreatedBy), record.UpdatedAt, lookups.User(record.UpdatedBy), flowView)
        {
            CanEdit = await access.AllowsAsync(permit, permit.Access.Update, id, ct),
        };
    }

    private static FieldValueView Field(ExportFieldPlan plan, JsonNode? value, ExportLookups lookups)
    {
        switch (plan.Kind)
        {
            case ExportFieldKind.Files:
                return new FieldValueView(plan.Key, UiViews.Cell(plan, value, lookups), UiViews.Files(value), null);
            case ExportFieldKind.SubTable when value is JsonArray rows:
                var columns = plan.Fields.Select(f => new ColumnView(f.Key, f.Label, "field")).ToList();
                var cells = rows.OfType<JsonObject>()
                    .Select(r => (IReadOnlyDictionary<string, string>)plan.Fields.ToDictionary(f => f.Key, f => UiViews.Cell(f, r[f.Key], lookups)))
                    .ToList();
                return new FieldValueView(plan.Key, null, [], new SubTableView(columns, cells));
            default:
                return new FieldValueView(plan.Key, UiViews.Cell(plan, value, lookups), [], null);
        }
    }

    private static string? To(Api.FlowHistoryDto h, Core.Flows.Definitions.FlowDefinition? flow) =>
        h.To is null ? null : flow?.FindStep(h.To)?.Title ?? h.To;

    private static IReadOnlyList<string> Changes(JsonObject? fields, IReadOnlyList<ExportFieldPlan> plans, ExportLookups lookups) =>
        fields is null
            ? []
            : fields.Select(f => plans.FirstOrDefault(p => p.Key == f.Key) is { } plan ? $"{plan.Label}：{UiViews.Cell(plan, f.Value, lookups)}" : $"{f.Key}：{f.Value}").ToList();

    private async Task ResolveAsync(ExportLookups lookups, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await lookups.ResolveAsync(connection, null, ct);
    }
}
