using Platform.Core.Flows;

namespace Platform.Designer.Services;

/// <summary>
/// A dry run's result: the run (status, steps passed, why it stopped), or an error when it could not run at all; the
/// sample's validation errors are shown beside it (the flow still runs on the data as given, as the API does).
/// </summary>
public sealed record FlowSimulationOutcome(FlowSimulation? Run, string? Error, IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors);
