using System.Text.Json.Nodes;
using Platform.Core.Flows.Definitions;

namespace Platform.Designer.Services;

/// <summary>
/// What the flow designer needs from the runtime: the app's published definitions and who can be assigned, publishing
/// (the same path as <c>PUT /api/apps/{app}/flows/{flow}</c>), sample records and the dry run of <c>POST …/simulate</c>.
/// </summary>
public interface IFlowDesignSource
{
    /// <summary>The app and the flow's published version (null for a new flow); null when there is no such app.</summary>
    Task<FlowDesignContext?> LoadAsync(string app, string flow, CancellationToken ct);

    Task<FlowPublishOutcome> PublishAsync(string app, FlowDefinition flow, string by, CancellationToken ct);

    /// <summary>The newest records of the entity, to simulate against.</summary>
    Task<IReadOnlyList<SampleRecord>> SampleRecordsAsync(string app, string entity, CancellationToken ct);

    /// <summary>Runs the (unpublished) flow against sample data; nothing is written.</summary>
    Task<FlowSimulationOutcome> SimulateAsync(string app, FlowDefinition flow, JsonObject data, IReadOnlyDictionary<string, string>? decisions, string by, CancellationToken ct);
}
