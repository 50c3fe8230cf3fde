using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Access;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Api;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Mobile;

/// <summary>
/// The phone view's field jobs: the caller's open tasks of steps with <c>mobile</c> settings, a job's page, and the
/// parts used on it. A job is the caller's only while its task is open and theirs (as the flow engine decides who may
/// act on a task) and its record lies in their read scope; otherwise it does not exist for them (404). Parts are
/// created and deleted through <see cref="RecordService"/> with the records API's permission checks, so the parts
/// entity's rules (stock deduction) run as for any other create. Photos, the signature and completion are task
/// actions (<c>POST /api/tasks/{id}/actions</c>), the same path the inbox uses.
/// </summary>
public sealed class MobileJobs(
    NpgsqlDataSource dataSource, AppCatalog apps, FlowCatalog flows, FlowStore flowStore, RecordStore store, RecordAccess access, RecordService records)
{
    /// <summary>The most open tasks the list looks at.</summary>
    public const int MaxJobs = 200;

    private const int PartPage = 20;

    /// <summary>The caller's open field jobs: most urgent first, then by planned visit, then oldest first.</summary>
    public async Task<IReadOnlyList<MobileJobCard>> JobsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var cards = new List<(MobileJobCard Card, DateTimeOffset? Planned)>();
        foreach (var group in (await OpenTasksAsync(FlowService.Actor(user), ct)).GroupBy(t => t.App))
        {
            if (await apps.GetAsync(group.Key, ct) is not { } app)
            {
                continue;
            }

            var jobs = new List<(MobileOpenTask Task, MobileJobSettings Mobile, EntityDefinition Entity, string StepName)>();
            foreach (var task in group)
            {
                var flow = await flows.GetAsync(task.App, task.Flow, task.Version, ct);
                if (flow?.FindStep(task.Step) is { Mobile: { } mobile } step && app.FindEntity(task.Entity) is { } entity)
                {
                    jobs.Add((task, mobile, entity, step.Title));
                }
            }

            if (jobs.Count == 0)
            {
                continue;
            }

            var found = await store.FindByFieldsAsync(app.Key, jobs.Select(j => (j.Entity.Key, "id", j.Task.RecordId.ToString())).ToList(), ct);
            var lookups = new ExportLookups(app.Key, await access.HiddenLabelsAsync(app, user, ct));
            var permits = new Dictionary<string, RecordPermit>(StringComparer.Ordinal);
            var visible = new List<(int Index, JsonObject Data, RecordPermit Permit)>();
            for (var i = 0; i < jobs.Count; i++)
            {
                var entity = jobs[i].Entity;
                if (!permits.TryGetValue(entity.Key, out var permit))
                {
                    permits[entity.Key] = permit = await access.ForAsync(entity, user, ct);
                }

                if (found[i] is not { } stored || !await access.AllowsAsync(permit, permit.Access.Read, jobs[i].Task.RecordId, ct))
                {
                    continue;
                }

                var data = permit.Visible(stored.Data);
                Collect(app, permit, CardFields(jobs[i].Mobile, entity), data, lookups);
                visible.Add((i, data, permit));
            }

            await ResolveAsync(lookups, ct);
            foreach (var (index, data, permit) in visible)
            {
                var (task, mobile, entity, stepName) = jobs[index];
                var text = Texts(app, permit, data, lookups);
                var card = Card(task.Id, app.Key, entity, task.RecordId, task.Step, stepName, task.CreatedAt, task.DueAt, mobile, data, text);
                cards.Add((card, mobile.Schedule is { } schedule ? Moment(data[schedule]) : null));
            }
        }

        return cards
            .OrderByDescending(c => c.Card.Priority?.Rank ?? -1)
            .ThenBy(c => c.Planned ?? DateTimeOffset.MaxValue)
            .ThenBy(c => c.Card.CreatedAt)
            .Select(c => c.Card)
            .ToList();
    }

    /// <summary>One job's page, or null when it is not the caller's open field job.</summary>
    public async Task<MobileJobDetail?> JobAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await LoadAsync(taskId, user, ct) is not { } job)
        {
            return null;
        }

        var (app, entity, mobile, permit) = (job.App, job.Entity, job.Mobile, job.Permit);
        var data = permit.Visible(job.Record.Data);
        var lookups = new ExportLookups(app.Key, RecordAccess.HiddenLabels(app, permit.Caller));
        Collect(app, permit, CardFields(mobile, entity).Concat(mobile.Details), data, lookups);

        IReadOnlyList<StoredRecord> lines = [];
        RecordPermit? linePermit = null;
        var parts = PartsOf(job);
        if (parts is (EntityDefinition lineEntity, FieldDefinition partField))
        {
            linePermit = await access.ForAsync(lineEntity, user, ct);
            lines = await LinesAsync(job, linePermit, ct);
            foreach (var line in lines)
            {
                lookups.WantRecord(FieldValues.AsText(line.Data[partField.Key]), DisplayField(app, partField));
            }
        }

        await ResolveAsync(lookups, ct);
        var used = new List<MobilePartLine>();
        if (parts is (_, FieldDefinition part) && linePermit is not null)
        {
            var display = DisplayField(app, part);
            foreach (var line in lines)
            {
                var partId = FieldValues.AsText(line.Data[part.Key]);
                used.Add(new MobilePartLine(
                    line.Id, partId, partId is null ? string.Empty : lookups.Record(partId, display),
                    FieldValues.AsDecimal(line.Data[mobile.Parts!.QuantityField]) ?? 0m, line.CreatedAt,
                    await access.RefuseDeleteAsync(linePermit, app.Key, line.Id, ct) is null));
            }
        }

        var text = Texts(app, permit, data, lookups);
        var card = Card(job.Task.Id, app.Key, entity, job.Record.Id, job.Task.Step, job.Step.Title, job.Task.CreatedAt, job.Task.DueAt, mobile, data, text);
        var details = mobile.Details
            .Where(k => permit.Access.Field(k) != FieldAccess.Hidden && entity.FindField(k) is not null)
            .Select(k => entity.FindField(k)!)
            .Select(f => new MobileDetailField(f.Key, f.Label ?? f.Key, f.LabelEn, text(f.Key) ?? string.Empty))
            .ToList();
        var covered = new HashSet<string?>([mobile.WorkPhotos, mobile.Signature, mobile.Photos, mobile.Description], StringComparer.Ordinal);
        var other = (job.Step.Fields?.Editable ?? [])
            .Where(k => !covered.Contains(k) && entity.FindField(k) is { Type: not ("image" or "video" or "file" or "sub-table") })
            .ToList();
        return new MobileJobDetail(
            card, details, text(mobile.Description), Files(data, mobile.Photos), mobile.WorkPhotos, Files(data, mobile.WorkPhotos), mobile.Signature ?? string.Empty,
            Files(data, mobile.Signature), parts is not null, linePermit?.Access.CanCreate == true, used, other, job.Step.Fields?.Required ?? [], job.Record.Version, data);
    }

    /// <summary>Parts the caller may pick for the job: the part entity's records whose name (or a text detail field) contains <paramref name="text"/>.</summary>
    public async Task<IReadOnlyList<MobilePartOption>?> SearchPartsAsync(Guid taskId, string? text, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await LoadAsync(taskId, user, ct) is not { } job || PartsOf(job) is not (_, FieldDefinition partField)
            || job.App.FindEntity(partField.Reference!.Entity) is not { } partEntity)
        {
            return null;
        }

        var permit = await access.ForAsync(partEntity, user, ct);
        var display = DisplayField(job.App, partField) ?? "id";
        var searched = new List<string> { display };
        searched.AddRange(job.Mobile.Parts!.PartDetails.Where(k => partEntity.FindField(k)?.Type is "text" && k != display));
        var needle = text?.Trim();
        var found = new Dictionary<Guid, StoredRecord>();
        foreach (var field in string.IsNullOrEmpty(needle) ? searched.Take(1) : searched)
        {
            var filters = string.IsNullOrEmpty(needle) || field == "id" ? [] : new[] { $"{field}:contains:{needle}" };
            var (query, _) = RecordQueryCompiler.Compile(job.App.Key, permit.VisibleEntity, filters, field == "id" ? "-createdAt" : display, "1", PartPage.ToString(CultureInfo.InvariantCulture));
            if (query is null)
            {
                continue;
            }

            foreach (var record in (await store.ListAsync(permit.Restrict(query), ct)).Items)
            {
                found.TryAdd(record.Id, record);
            }
        }

        var lookups = new ExportLookups(job.App.Key, RecordAccess.HiddenLabels(job.App, permit.Caller));
        var detailFields = job.Mobile.Parts!.PartDetails;
        foreach (var record in found.Values)
        {
            Collect(job.App, permit, detailFields, permit.Visible(record.Data), lookups);
        }

        await ResolveAsync(lookups, ct);
        return found.Values
            .Select(r =>
            {
                var data = permit.Visible(r.Data);
                var texts = Texts(job.App, permit, data, lookups);
                var details = detailFields
                    .Where(k => permit.Access.Field(k) != FieldAccess.Hidden && partEntity.FindField(k) is not null)
                    .Select(k => partEntity.FindField(k)!)
                    .Select(f => new MobileDetailField(f.Key, f.Label ?? f.Key, f.LabelEn, texts(f.Key) ?? string.Empty))
                    .ToList();
                return new MobilePartOption(r.Id, FieldValues.AsText(data[display]) is { Length: > 0 } name ? name : r.Id.ToString()[..8], details);
            })
            .OrderBy(o => o.Name, StringComparer.Ordinal)
            .Take(PartPage)
            .ToList();
    }

    /// <summary>
    /// Records <paramref name="quantity"/> of part <paramref name="partId"/> on the job: a record of the parts entity,
    /// created as <c>POST …/records</c> creates it (create permission, validation, rules). Errors name <c>part</c> or <c>quantity</c>.
    /// </summary>
    public async Task<CommandResult<(StoredRecord Record, RecordPermit Permit)>> AddPartAsync(Guid taskId, string? partId, JsonNode? quantity, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await LoadAsync(taskId, user, ct) is not { } job)
        {
            return CommandResult<(StoredRecord, RecordPermit)>.NotFound($"没有你的待办外勤工单 {taskId} / no open field job of yours");
        }

        if (PartsOf(job) is not (EntityDefinition lineEntity, FieldDefinition partField) || job.App.FindEntity(partField.Reference!.Entity) is not { } partEntity)
        {
            return CommandResult<(StoredRecord, RecordPermit)>.NotFound("此工单不记录备件 / this job records no parts");
        }

        var parts = job.Mobile.Parts!;
        var amount = FieldValues.AsDecimal(quantity);
        if (amount is not > 0)
        {
            return CommandResult<(StoredRecord, RecordPermit)>.Invalid("quantity", "数量须为大于 0 的数字 / quantity must be a number above 0");
        }

        var partPermit = await access.ForAsync(partEntity, user, ct);
        if (!Guid.TryParse(partId, out var part) || await store.GetAsync(job.App.Key, partEntity.Key, part, ct) is null
            || !await access.AllowsAsync(partPermit, partPermit.Access.Read, part, ct))
        {
            return CommandResult<(StoredRecord, RecordPermit)>.Invalid("part", $"没有这个{partEntity.Label} / no such {partEntity.Key} record");
        }

        var data = new JsonObject
        {
            [parts.RecordField] = job.Record.Id.ToString(),
            [parts.PartField] = part.ToString(),
            [parts.QuantityField] = quantity!.DeepClone(),
        };
        var permit = await access.ForAsync(lineEntity, user, ct);
        var refused = RecordAccess.RefuseCreate(permit, data);
        var result = refused ?? await records.CreateAsync(job.App, lineEntity, data, RecordsEndpoints.UserName(user), ct, lookupScope: LookupScope.For(job.App, permit.Caller));
        if (result.Outcome != CommandOutcome.Ok)
        {
            var errors = result.Errors?.ToDictionary(
                e => e.Key == parts.PartField ? "part" : e.Key == parts.QuantityField ? "quantity" : e.Key, e => e.Value);
            return new CommandResult<(StoredRecord, RecordPermit)>(result.Outcome, default, errors, result.Detail);
        }

        return CommandResult<(StoredRecord, RecordPermit)>.Ok((result.Value!, permit));
    }

    /// <summary>Removes a part line of the job (a mistake), as <c>DELETE …/records/{id}</c> deletes it: only with the delete permission; its rules run.</summary>
    public async Task<CommandResult<bool>> RemovePartAsync(Guid taskId, Guid lineId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await LoadAsync(taskId, user, ct) is not { } job || PartsOf(job) is not (EntityDefinition lineEntity, _))
        {
            return CommandResult<bool>.NotFound($"没有你的待办外勤工单 {taskId} / no open field job of yours");
        }

        var line = await store.GetAsync(job.App.Key, lineEntity.Key, lineId, ct);
        var permit = await access.ForAsync(lineEntity, user, ct);
        if (line is null || FieldValues.AsText(line.Data[job.Mobile.Parts!.RecordField]) != job.Record.Id.ToString()
            || !await access.AllowsAsync(permit, permit.Access.Read, lineId, ct))
        {
            return CommandResult<bool>.NotFound($"此工单没有备件记录 {lineId} / no such part line on this job");
        }

        if (await access.RefuseDeleteAsync(permit, job.App.Key, lineId, ct) is { } refused)
        {
            return refused;
        }

        return await records.DeleteAsync(job.App, lineEntity, lineId, null, RecordsEndpoints.UserName(user), ct);
    }

    /// <summary>The open task <paramref name="taskId"/> as a field job of the caller, or null (not theirs, not open, not a field step, record out of scope).</summary>
    private async Task<MobileJob?> LoadAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct)
    {
        var snapshot = await flowStore.LoadByTaskAsync(taskId, ct);
        var task = snapshot?.Instance.FindTask(taskId);
        if (snapshot?.Record is not { } record || task is null || task.Status != FlowTaskStatuses.Open || !task.IsFor(FlowService.Actor(user)))
        {
            return null;
        }

        var instance = snapshot.Instance;
        var flow = await flows.GetAsync(instance.App, instance.Flow, instance.Version, ct);
        if (flow?.FindStep(task.Step) is not { Mobile: { } mobile } step || await apps.GetAsync(instance.App, ct) is not { } app || app.FindEntity(instance.Entity) is not { } entity)
        {
            return null;
        }

        var permit = await access.ForAsync(entity, user, ct);
        return await access.AllowsAsync(permit, permit.Access.Read, record.Id, ct) ? new MobileJob(app, entity, step, mobile, task, record, permit) : null;
    }

    /// <summary>The parts entity and its part reference field, when the job records parts and the app still has them.</summary>
    private static (EntityDefinition Entity, FieldDefinition Part)? PartsOf(MobileJob job) =>
        job.Mobile.Parts is { } parts && job.App.FindEntity(parts.Entity) is { } lines && lines.FindField(parts.PartField) is { Reference: not null } part
            ? (lines, part)
            : null;

    private async Task<IReadOnlyList<StoredRecord>> LinesAsync(MobileJob job, RecordPermit permit, CancellationToken ct)
    {
        var (query, _) = RecordQueryCompiler.Compile(
            job.App.Key, permit.VisibleEntity, [$"{job.Mobile.Parts!.RecordField}:eq:{job.Record.Id}"], "createdAt", "1", RecordQueryCompiler.MaxPageSize.ToString(CultureInfo.InvariantCulture));
        return query is null ? [] : (await store.ListAsync(permit.Restrict(query), ct)).Items;
    }

    private async Task<IReadOnlyList<MobileOpenTask>> OpenTasksAsync(FlowActor actor, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select t.id, t.app_key, t.entity_key, t.record_id, t.step, t.created_at, t.due_at, i.flow_key, i.version
            from flow_tasks t join flow_instances i on i.id = t.instance_id
            where t.status = 'open' and i.status = 'running' and (t.assignee = $1 or (t.assignee is null and t.role = any($2)))
            order by t.created_at limit $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = actor.UserName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = actor.Roles.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = MaxJobs });
        var list = new List<MobileOpenTask>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new MobileOpenTask(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetInt32(8)));
        }

        return list;
    }

    private static IEnumerable<string> CardFields(MobileJobSettings mobile, EntityDefinition entity) =>
        new[] { FlowService.TitleField(entity), mobile.Customer, mobile.Phone, mobile.Address, mobile.Product, mobile.Schedule, mobile.Description }
            .OfType<string>();

    private static MobileJobCard Card(
        Guid taskId, string app, EntityDefinition entity, Guid recordId, string step, string stepName, DateTimeOffset createdAt, DateTimeOffset? dueAt,
        MobileJobSettings mobile, JsonObject data, Func<string?, string?> text)
    {
        var title = text(FlowService.TitleField(entity)) ?? recordId.ToString()[..8];
        var address = text(mobile.Address);
        var phone = text(mobile.Phone);
        var dial = phone is null ? null : new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        return new MobileJobCard(
            taskId, app, entity.Key, recordId, step, stepName, title, text(mobile.Customer), phone, address, text(mobile.Product), Priority(entity, mobile, data),
            text(mobile.Schedule), createdAt, dueAt, address is null ? null : MobileMaps.SearchUrl(mobile.Map, address), dial is { Length: > 0 } ? "tel:" + dial : null);
    }

    private static MobilePriority? Priority(EntityDefinition entity, MobileJobSettings mobile, JsonObject data)
    {
        if (mobile.Priority is not { } key || entity.FindField(key)?.Options is not { } options || FieldValues.AsText(data[key]) is not { } value)
        {
            return null;
        }

        for (var i = 0; i < options.Count; i++)
        {
            if (options[i].Value == value)
            {
                return new MobilePriority(value, options[i].Label ?? value, options[i].LabelEn, options[i].Color, i);
            }
        }

        return null;
    }

    private static void Collect(AppDefinition app, RecordPermit permit, IEnumerable<string?> keys, JsonObject data, ExportLookups lookups)
    {
        var plans = ExportFieldPlan.For(app, permit.VisibleEntity.Fields);
        foreach (var key in keys.OfType<string>().Distinct())
        {
            if (plans.FirstOrDefault(p => p.Key == key) is { } plan)
            {
                ExportCells.Collect(plan, data[key], lookups);
            }
        }
    }

    /// <summary>A field's value as text (as exports show it), null when empty, hidden or unknown.</summary>
    private static Func<string?, string?> Texts(AppDefinition app, RecordPermit permit, JsonObject data, ExportLookups lookups)
    {
        var plans = ExportFieldPlan.For(app, permit.VisibleEntity.Fields).ToDictionary(p => p.Key, StringComparer.Ordinal);
        return key =>
        {
            if (key is null || !plans.TryGetValue(key, out var plan))
            {
                return null;
            }

            var cell = ExportCells.Format(plan, data[key], lookups) switch
            {
                null => null,
                decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture),
            };
            return string.IsNullOrWhiteSpace(cell) ? null : cell;
        };
    }

    private static string? DisplayField(AppDefinition app, FieldDefinition reference) =>
        ExportFieldPlan.For(app, [reference])[0].DisplayField;

    private static IReadOnlyList<string> Files(JsonObject data, string? key) => key is null
        ? []
        : data[key] switch
        {
            JsonArray list => list.Select(FieldValues.AsText).OfType<string>().ToList(),
            JsonValue v when FieldValues.AsText(v) is { } id => [id],
            _ => [],
        };

    private static DateTimeOffset? Moment(JsonNode? value) =>
        DateTimeOffset.TryParse(FieldValues.AsText(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private async Task ResolveAsync(ExportLookups lookups, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await lookups.ResolveAsync(connection, null, ct);
    }
}
