using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Printing;
using Platform.Runtime.Api;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Printing;

/// <summary>
/// Prints records with a print template: reads them (and the related records, flow states and histories the template
/// asks for), resolves the names it shows like an export, and renders the page with the Core <see cref="PrintRenderer"/>.
/// </summary>
public sealed class PrintService(RecordStore store, FlowStore flowStore, InboxStore inbox, NpgsqlDataSource dataSource, TimeProvider time, Access.RecordAccess access)
{
    /// <summary>Most records one print page holds.</summary>
    public const int MaxRecords = 200;

    /// <summary>Most related records (<c>{{#related}}</c>) one print page reads, over all its records.</summary>
    public const int MaxRelatedRecords = 2_000;

    /// <summary>The same-origin script behind the print button (the page's CSP allows no inline script).</summary>
    public const string ScriptUrl = "/_content/Platform.Designer/js/print.js";

    /// <summary>
    /// The page's Content-Security-Policy: nothing loads but the print script, inline styles and <c>data:</c> images; no
    /// inline script, no forms, no framing by other sites.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /// <summary>The app's print templates, of one entity when <paramref name="entity"/> is given.</summary>
    public static IReadOnlyList<PrintTemplateDefinition> Templates(AppDefinition app, string? entity) =>
        app.PrintTemplates.Where(t => string.IsNullOrEmpty(entity) || t.Entity == entity).ToList();

    /// <summary>
    /// Parses <c>ids=a,b,c</c>: record ids in the order given, duplicates once. Null with an error when the list is empty,
    /// too long or holds something that is not a record id.
    /// </summary>
    public static IReadOnlyList<Guid>? ParseIds(string? ids, out string? error)
    {
        error = null;
        var parts = (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            error = "请指定要打印的记录 ids=a,b,c / ids is required: record ids separated by commas";
            return null;
        }

        var list = new List<Guid>();
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
            {
                error = $"'{(part.Length > 40 ? part[..40] + "…" : part)}' 不是记录编号 / is not a record id";
                return null;
            }

            if (!list.Contains(id))
            {
                list.Add(id);
            }
        }

        if (list.Count > MaxRecords)
        {
            error = $"一次最多打印 {MaxRecords} 条记录，当前 {list.Count} 条 / at most {MaxRecords} records per print";
            return null;
        }

        return list;
    }

    /// <summary>Renders the print page of <paramref name="ids"/> (their order kept) with the app's template <paramref name="templateKey"/>.</summary>
    public async Task<PrintOutcome> RenderAsync(
        AppDefinition app, string templateKey, IReadOnlyList<Guid> ids, string baseUrl, ClaimsPrincipal user, CancellationToken ct) =>
        app.FindPrintTemplate(templateKey) is { } definition
            ? await RenderAsync(app, definition, ids, baseUrl, user, ct)
            : new PrintOutcome(null, null, TemplateMissing: true);

    /// <summary>
    /// The designer's live preview of an unsaved template: the page of <paramref name="recordId"/>, else of the entity's
    /// newest record; problems instead of a page while the template has any.
    /// </summary>
    public async Task<PrintOutcome> PreviewAsync(
        AppDefinition app, PrintTemplateDefinition definition, Guid? recordId, string baseUrl, ClaimsPrincipal user, CancellationToken ct)
    {
        var changed = app with { PrintTemplates = app.PrintTemplates.Where(t => t.Key != definition.Key).Append(definition).ToList() };
        var problems = PrintTemplateValidator.Validate(changed).Where(p => p.Path.StartsWith($"$.printTemplates[{changed.PrintTemplates.Count - 1}].", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0 || changed.FindEntity(definition.Entity) is not { } entity)
        {
            return new PrintOutcome(null, null, Problems: problems.Select(p => p.Message).DefaultIfEmpty("没有这个实体 / no such entity").ToList());
        }

        var id = recordId ?? (await ReadAsync(changed, entity, null, 1, user, ct, sort: "-createdAt")).FirstOrDefault()?.Id;
        return id is null ? new PrintOutcome(null, null, MissingIds: []) : await RenderAsync(changed, definition, [id.Value], baseUrl, user, ct);
    }

    private async Task<PrintOutcome> RenderAsync(
        AppDefinition app, PrintTemplateDefinition definition, IReadOnlyList<Guid> ids, string baseUrl, ClaimsPrincipal user, CancellationToken ct)
    {
        var (template, problems) = PrintTemplateCompiler.Compile(app, definition);
        if (template is null)
        {
            // Published templates were checked; a definition stored before a stricter check is refused, never printed unchecked.
            return new PrintOutcome(null, null, Problems: problems.Select(p => p.Describe(definition.Html)).ToList());
        }

        var entity = template.Entity;
        var stored = await ReadAsync(app, entity, $"id:in:{string.Join('|', ids)}", ids.Count, user, ct);
        var byId = stored.ToDictionary(r => r.Id);
        var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            return new PrintOutcome(null, null, MissingIds: missing);
        }

        var lookups = new ExportLookups(app.Key, await access.HiddenLabelsAsync(app, user, ct));
        var formatter = new PrintValueFormatter(app, lookups);
        var records = ids.Select(id => byId[id]).ToList();
        foreach (var record in records)
        {
            formatter.Collect(entity.Fields, record.Data);
            lookups.WantUser(record.CreatedBy);
            lookups.WantUser(record.UpdatedBy);
        }

        var related = new Dictionary<string, ILookup<string, StoredRecord>>(StringComparer.Ordinal);
        var budget = MaxRelatedRecords;
        foreach (var source in template.Related)
        {
            var target = app.FindEntity(source.Entity)!;
            var rows = await ReadAsync(app, target, $"{source.Field}:in:{string.Join('|', ids)}", budget, user, ct, sort: "createdAt");
            budget -= rows.Count;
            foreach (var row in rows)
            {
                formatter.Collect(target.Fields, row.Data);
                lookups.WantUser(row.CreatedBy);
            }

            related[source.Key] = rows.ToLookup(r => r.Data[source.Field]?.ToString() ?? string.Empty, StringComparer.Ordinal);
        }

        var flows = template.UsesFlow ? await flowStore.FlowsOfRecordsAsync(ids, ct) : new Dictionary<Guid, (Guid Instance, string Status, IReadOnlyList<string> Active)>();
        var histories = new Dictionary<Guid, IReadOnlyList<FlowHistoryDto>>();
        if (template.UsesHistory)
        {
            foreach (var (recordId, state) in flows)
            {
                if (await inbox.InstanceAsync(state.Instance, ct) is { } instance)
                {
                    histories[recordId] = instance.History;
                    foreach (var h in instance.History)
                    {
                        lookups.WantUser(h.By);
                    }
                }
            }
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await lookups.ResolveAsync(connection, null, ct);
        }

        var flow = app.Flows.FirstOrDefault(f => f.Entity == entity.Key);
        var trackingField = PrintTemplateCompiler.TrackingField(app, entity.Key);
        var printed = records.Select(record =>
        {
            var state = flows.TryGetValue(record.Id, out var s) ? s : default((Guid Instance, string Status, IReadOnlyList<string> Active)?);
            var trackingNo = trackingField is null ? null : record.Data[trackingField]?.ToString();
            var statusValue = flow?.StatusField is { } statusField ? record.Data[statusField]?.ToString() : null;
            var statusLabel = statusValue is null ? null : entity.FindField(flow!.StatusField!)?.Options?.FirstOrDefault(o => o.Value == statusValue)?.Label;
            return Printable(record, lookups) with
            {
                StatusRaw = statusValue ?? state?.Status,
                Status = statusLabel ?? statusValue ?? FlowStatusWord(state?.Status),
                Step = state is { Active.Count: > 0 } active ? string.Join("、", active.Active.Select(a => flow?.FindStep(a)?.Title ?? a)) : null,
                TrackingNo = trackingNo,
                TrackingUrl = string.IsNullOrEmpty(trackingNo) ? null : PrintLinks.TrackingUrl(baseUrl, trackingNo),
                RecordUrl = PrintLinks.RecordUrl(baseUrl, app.Key, entity.Key, record.Id),
                History = histories.GetValueOrDefault(record.Id)?.Select(h => History(h, flow, lookups)).ToList() ?? [],
                Related = related.ToDictionary(
                    r => r.Key, r => (IReadOnlyList<PrintRecord>)r.Value[record.Id.ToString()].Select(x => Printable(x, lookups)).ToList(), StringComparer.Ordinal),
            };
        }).ToList();

        var options = new PrintPageOptions { AppName = app.Name, Now = time.GetUtcNow(), ScriptUrl = ScriptUrl };
        return new PrintOutcome(PrintRenderer.RenderPage(template, printed, formatter, options), definition.Label);
    }

    /// <summary>
    /// The one place printing reads records (the printed ones and related ones), through the records API's query compiler
    /// and store, within <paramref name="user"/>'s read scope and without the fields hidden from them (a record they
    /// may not read prints as missing).
    /// </summary>
    private async Task<IReadOnlyList<StoredRecord>> ReadAsync(
        AppDefinition app, EntityDefinition entity, string? filter, int max, ClaimsPrincipal user, CancellationToken ct, string? sort = null)
    {
        var permit = await access.ForAsync(entity, user, ct);
        var list = new List<StoredRecord>();
        var size = Math.Clamp(max, 1, RecordQueryCompiler.MaxPageSize);
        for (var page = 1; list.Count < max; page++)
        {
            var (query, errors) = RecordQueryCompiler.Compile(
                app.Key, entity, filter is null ? [] : [filter], sort, page.ToString(System.Globalization.CultureInfo.InvariantCulture),
                size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (query is null)
            {
                throw new InvalidOperationException($"print query for {entity.Key} did not compile: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            }

            var result = await store.ListAsync(permit.Restrict(query), ct);
            list.AddRange(result.Items.Take(max - list.Count).Select(permit.Visible));
            if (result.Items.Count < size || list.Count >= max)
            {
                break;
            }
        }

        return list;
    }

    private static PrintRecord Printable(StoredRecord record, ExportLookups lookups) => new()
    {
        Id = record.Id,
        Data = record.Data,
        CreatedAt = record.CreatedAt,
        CreatedBy = lookups.User(record.CreatedBy),
        UpdatedAt = record.UpdatedAt,
        UpdatedBy = record.UpdatedBy is { } by ? lookups.User(by) : null,
    };

    private static PrintHistoryEntry History(FlowHistoryDto h, Platform.Core.Flows.Definitions.FlowDefinition? flow, ExportLookups lookups) => new(
        h.StepName ?? flow?.FindStep(h.Step)?.Title ?? h.Step,
        ActionWord(h.Action),
        TrackingLookup.Text(h),
        Who(h.By, lookups),
        h.At,
        h.Comment);

    /// <summary>Who acted, for paper: a person's name, 系统 (timers, routing), 规则 or 客户 (public forms).</summary>
    private static string Who(string by, ExportLookups lookups) => by switch
    {
        "system" => "系统",
        "public" => "客户",
        _ when by.StartsWith("rule:", StringComparison.Ordinal) => "规则 " + by["rule:".Length..],
        _ when by.StartsWith("public:", StringComparison.Ordinal) => "客户",
        _ => lookups.User(by),
    };

    private static string? FlowStatusWord(string? status) => status switch
    {
        null => null,
        "running" => "进行中",
        "completed" => "已完成",
        "rejected" => "已驳回",
        "cancelled" => "已撤回",
        _ => status,
    };

    private static string ActionWord(string action) => action switch
    {
        "start" => "发起",
        "enter" => "进入",
        "approve" => "通过",
        "reject" => "驳回",
        "return" => "退回",
        "transfer" => "转交",
        "add-signer" => "加签",
        "withdraw" => "撤回",
        "urge" => "催办",
        "comment" => "评论",
        "remind" => "超时提醒",
        "escalate" => "超时升级",
        "auto-approve" => "超时自动通过",
        "auto-reject" => "超时自动驳回",
        "end" => "结束",
        _ => action,
    };
}
