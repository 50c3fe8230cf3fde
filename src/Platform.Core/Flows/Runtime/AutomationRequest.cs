using System.Text.Json.Nodes;

namespace Platform.Core.Flows.Runtime;

/// <summary>Rule actions an automation step asks the runtime to run.</summary>
public sealed record AutomationRequest(string Step, IReadOnlyList<JsonObject> Actions);
