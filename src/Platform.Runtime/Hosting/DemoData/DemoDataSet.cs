using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The demo data ready to write, built in memory: every record validated by the form engine (its data as inserted,
/// i.e. with what its flow's start set), the auto-number sequences used, and the flows as played.
/// </summary>
public sealed record DemoDataSet(IReadOnlyList<(DemoRecord Record, JsonObject Data)> Records, IReadOnlyDictionary<string, long> Sequences, DemoFlowRun Flows);
