using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Mobile;

/// <summary>An open field job the caller may work on, loaded with everything its commands need.</summary>
internal sealed record MobileJob(
    AppDefinition App, EntityDefinition Entity, FlowStep Step, MobileJobSettings Mobile, FlowTask Task, StoredRecord Record, RecordPermit Permit);
