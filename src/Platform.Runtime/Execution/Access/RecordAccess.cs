using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Access;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Runtime.Api;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// Entity permissions enforced for signed-in users: who the caller is (from the users table, fresh within
/// seconds), what they may do with an entity, and whether a record lies within a scope. Used by the records,
/// reports and exports APIs and by the UI alike, so hiding something in the UI is never the only guard.
/// </summary>
public sealed class RecordAccess(OrganisationCache organisation, NpgsqlDataSource dataSource, FlowCatalog flows)
{
    public async ValueTask<Caller> CallerAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var snapshot = await organisation.GetAsync(ct);
        return snapshot.CallerOf(RecordsEndpoints.UserName(principal));
    }

    public async ValueTask<RecordPermit> ForAsync(EntityDefinition entity, ClaimsPrincipal principal, CancellationToken ct)
    {
        var caller = await CallerAsync(principal, ct);
        return RecordPermit.For(entity, caller);
    }

    /// <summary>Whether record <paramref name="id"/> lies within <paramref name="scope"/> for the permit's caller.</summary>
    public async Task<bool> AllowsAsync(RecordPermit permit, RowScope scope, Guid id, CancellationToken ct)
    {
        if (scope == RowScope.All)
        {
            return true;
        }

        if (scope == RowScope.None)
        {
            return false;
        }

        await using var cmd = dataSource.CreateCommand();
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        var predicate = RowScopeSql.Predicate(permit.Entity, scope, permit.Caller, "r", value =>
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + cmd.Parameters.Count;
        });
        // The entity too: an id of another entity's record must not pass an "own" or department check made for this one.
        cmd.CommandText = $"select exists (select 1 from records r where r.id = $1 and r.entity_key = {SqlIdentifiers.Literal(permit.Entity.Key)} and {predicate})";
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The row filter for the report compiler: each source entity's read scope over alias <c>s</c>; null when the
    /// caller may read every record of every entity of the app (then rollups may answer).
    /// </summary>
    public async ValueTask<Func<EntityDefinition, Func<object, string>, string?>?> ReportRowsAsync(AppDefinition app, ClaimsPrincipal principal, CancellationToken ct)
    {
        var caller = await CallerAsync(principal, ct);
        var scopes = app.Entities.ToDictionary(e => e.Key, e => EntityAccess.For(e, caller).Read, StringComparer.Ordinal);
        if (scopes.Values.All(s => s == RowScope.All))
        {
            return null;
        }

        return (entity, param) => RowScopeSql.Predicate(entity, scopes.GetValueOrDefault(entity.Key, RowScope.None), caller, "s", param);
    }

    /// <summary>
    /// The fields a flow step hides from its assignee (<c>fields.hidden</c>) at the steps where the caller holds an
    /// open task on the record; administrators see everything.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> StepHiddenFieldsAsync(string app, Guid recordId, Caller caller, CancellationToken ct)
    {
        if (caller.IsAdmin)
        {
            return [];
        }

        await using var cmd = dataSource.CreateCommand(
            "select distinct i.flow_key, i.version, t.step from flow_tasks t join flow_instances i on i.id = t.instance_id"
            + " where i.record_id = $1 and i.app_key = $2 and t.status = 'open' and (t.assignee = $3 or (t.assignee is null and t.role = any($4)))");
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = caller.UserName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = caller.Roles.ToArray() });
        var steps = new List<(string Flow, int Version, string Step)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                steps.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));
            }
        }

        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (flow, version, step) in steps)
        {
            if ((await flows.GetAsync(app, flow, version, ct))?.FindStep(step)?.Fields?.Hidden is { } fields)
            {
                hidden.UnionWith(fields);
            }
        }

        return hidden;
    }

    /// <summary>
    /// Which report paths the caller may filter on (see <see cref="Reports.ReportRequest.Visible"/>): a path is visible
    /// when the source and every entity it passes through are readable and neither the fields it follows nor its final
    /// field are hidden from the caller; null when nothing is hidden.
    /// </summary>
    public async ValueTask<Func<EntityDefinition, ReportPath, bool>?> ReportPathsAsync(AppDefinition app, ClaimsPrincipal principal, CancellationToken ct)
    {
        var caller = await CallerAsync(principal, ct);
        var access = app.Entities.ToDictionary(e => e.Key, e => EntityAccess.For(e, caller), StringComparer.Ordinal);
        if (app.Entities.All(e => access[e.Key].Read == RowScope.All && !access[e.Key].HiddenFields(e).Any()))
        {
            return null;
        }

        bool Sees(EntityDefinition entity, FieldDefinition? field) =>
            access.TryGetValue(entity.Key, out var grant) && grant.Read != RowScope.None && (field is null || grant.Field(field.Key) != FieldAccess.Hidden);

        return (source, path) =>
        {
            var owner = source;
            foreach (var hop in path.Hops)
            {
                if (!Sees(owner, hop.Via))
                {
                    return false;
                }

                owner = hop.Target;
            }

            return Sees(path.Entity, path.Field);
        };
    }

    /// <summary>
    /// Which fields of referenced records the caller may not see in labels (entity key, field key): those hidden by the
    /// field rules of a grant the caller holds on that entity; null when none. A reference is part of a row the caller may
    /// read, so entities they hold no grant on at all are not consulted (an engineer sees the customer's name on a job).
    /// </summary>
    public static Func<string, string, bool>? HiddenLabels(AppDefinition app, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return null;
        }

        var hidden = new HashSet<(string Entity, string Field)>();
        foreach (var entity in app.Entities)
        {
            var access = EntityAccess.For(entity, caller);
            if (access.Read != RowScope.None)
            {
                hidden.UnionWith(access.HiddenFields(entity).Select(f => (entity.Key, f)));
            }
        }

        return hidden.Count == 0 ? null : (entity, field) => hidden.Contains((entity, field));
    }

    /// <summary><see cref="HiddenLabels(AppDefinition, Caller)"/> for a signed-in user.</summary>
    public async ValueTask<Func<string, string, bool>?> HiddenLabelsAsync(AppDefinition app, ClaimsPrincipal principal, CancellationToken ct) =>
        HiddenLabels(app, await CallerAsync(principal, ct));

    /// <summary>Why the caller may not create this record (403, with the refused fields), or null.</summary>
    public static CommandResult<StoredRecord>? RefuseCreate(RecordPermit permit, JsonObject data)
    {
        if (!permit.Access.CanCreate)
        {
            return CommandResult<StoredRecord>.Forbidden($"你的角色不能新建{permit.Entity.Label} / your roles may not create {permit.Entity.Key} records");
        }

        return permit.WriteProblems(data, null) is { Count: > 0 } fields ? new CommandResult<StoredRecord>(CommandOutcome.Forbidden, null, fields, "fields") : null;
    }

    /// <summary>
    /// Why the caller may not change this record: 404 when it is outside their read scope (as if it did not
    /// exist, so ids cannot be probed), 403 outside their update scope or for fields they may not change; or null.
    /// </summary>
    public async Task<CommandResult<StoredRecord>?> RefuseUpdateAsync(RecordPermit permit, string app, Guid id, JsonObject data, CancellationToken ct)
    {
        if (permit.IsFull)
        {
            return null;
        }

        var (found, readable, updatable, stored) = await WithinAsync(permit, app, id, permit.Access.Update, ct);
        if (!found || !readable)
        {
            return CommandResult<StoredRecord>.NotFound($"No {permit.Entity.Key} record {id}.");
        }

        if (!updatable)
        {
            return CommandResult<StoredRecord>.Forbidden($"你的角色不能修改这条记录 / your roles may not change this {permit.Entity.Key} record");
        }

        return permit.WriteProblems(data, stored) is { Count: > 0 } fields ? new CommandResult<StoredRecord>(CommandOutcome.Forbidden, null, fields, "fields") : null;
    }

    /// <summary>Why the caller may not delete this record (404 when missing or outside the read scope, 403 outside the delete scope), or null.</summary>
    public async Task<CommandResult<bool>?> RefuseDeleteAsync(RecordPermit permit, string app, Guid id, CancellationToken ct)
    {
        if (permit.IsFull)
        {
            return null;
        }

        // A missing id answers 404 like an unreadable one, before the delete scope is weighed (else a random id would get a 403).
        var (found, readable, deletable, _) = await WithinAsync(permit, app, id, permit.Access.Delete, ct);
        if (!found || !readable)
        {
            return CommandResult<bool>.NotFound($"No {permit.Entity.Key} record {id}.");
        }

        return deletable
            ? null
            : CommandResult<bool>.Forbidden($"你的角色不能删除这条记录 / your roles may not delete this {permit.Entity.Key} record");
    }

    /// <summary>In one round trip: whether the record exists in the permit's entity, lies within the read scope and within <paramref name="scope"/>, and its data.</summary>
    private async Task<(bool Found, bool Readable, bool InScope, JsonObject? Data)> WithinAsync(RecordPermit permit, string app, Guid id, RowScope scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand();
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        string Condition(RowScope s) => RowScopeSql.Predicate(permit.Entity, s, permit.Caller, "r", value =>
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + cmd.Parameters.Count;
        }) ?? "true";
        // coalesce: a null owner_department or user field makes the predicate null, which means "not within".
        cmd.CommandText = $"select coalesce({Condition(permit.Access.Read)}, false), coalesce({Condition(scope)}, false), r.data::text from records r"
            + $" where r.id = $1 and r.app_key = $2 and r.entity_key = {SqlIdentifiers.Literal(permit.Entity.Key)}";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (true, reader.GetBoolean(0), reader.GetBoolean(1), JsonNode.Parse(reader.GetString(2))!.AsObject())
            : (false, false, false, null);
    }
}
