using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>The flow designer's runtime side: the same catalog, importer, validation and simulator the flows API uses.</summary>
public sealed class FlowDesignSource(
    AppCatalog catalog, AppImporter importer, FlowService flows, RecordStore records, RecordValidation validation, NpgsqlDataSource dataSource, TimeProvider time)
    : IFlowDesignSource
{
    public async Task<FlowDesignContext?> LoadAsync(string app, string flow, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return null;
        }

        var users = new List<DirectoryUser>();
        await using (var cmd = dataSource.CreateCommand("select user_name, display_name, roles, department from users where is_active order by user_name"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                users.Add(new DirectoryUser(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        // Roles held by someone, plus those the app's flows already name (a role may have no holder yet).
        var roles = users.SelectMany(u => u.Roles)
            .Concat(definition.Flows.SelectMany(f => f.Steps).SelectMany(s => (s.Assignees?.Roles ?? []).Append(s.Deadline?.NotifyRole ?? string.Empty)))
            .Where(r => r.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var departments = users.Select(u => u.Department).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new FlowDesignContext(definition, definition.FindFlow(flow), users, roles, departments);
    }

    public async Task<FlowPublishOutcome> PublishAsync(string app, FlowDefinition flow, string by, CancellationToken ct)
    {
        var (published, problems) = await importer.PublishFlowAsync(app, flow, by, ct);
        return new FlowPublishOutcome(published?.Version, problems.Select(p => new DefinitionProblem(p.Path, p.Message)).ToList());
    }

    public async Task<IReadOnlyList<SampleRecord>> SampleRecordsAsync(string app, string entity, CancellationToken ct)
    {
        var definition = (await catalog.GetAsync(app, ct))?.FindEntity(entity);
        if (definition is null)
        {
            return [];
        }

        var (query, _) = RecordQueryCompiler.Compile(app, definition, [], null, "1", "20");
        var page = await records.ListAsync(query!, ct);
        var titleField = FlowService.TitleField(definition);
        return page.Items
            .Select(r => new SampleRecord(r.Id, titleField is not null && r.Data[titleField] is { } t ? t.ToString() : r.Id.ToString()[..8], r.CreatedAt, r.Data))
            .ToList();
    }

    public async Task<FlowSimulationOutcome> SimulateAsync(
        string app, FlowDefinition flow, JsonObject data, IReadOnlyDictionary<string, string>? decisions, string by, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        var entity = definition?.FindEntity(flow.Entity);
        if (definition is null || entity is null)
        {
            return new FlowSimulationOutcome(null, $"实体 '{flow.Entity}' 不存在 / no entity '{flow.Entity}'", new Dictionary<string, IReadOnlyList<string>>());
        }

        // As POST …/simulate: the sample is validated and computed like a submission; an invalid one runs as given.
        var validated = await validation.ValidateAsync(definition, entity, data, null, by, time.GetUtcNow(), false, null, ct);
        var record = validated.IsValid ? validated.Data : data.DeepClone().AsObject();
        try
        {
            var run = await flows.SimulateAsync(flow, entity, record, decisions, by, ct);
            return new FlowSimulationOutcome(run, null, validated.IsValid ? new Dictionary<string, IReadOnlyList<string>>() : validated.Errors);
        }
        catch (FlowDefinitionException e)
        {
            return new FlowSimulationOutcome(null, e.Message, validated.Errors);
        }
    }
}
