using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.PublicForms;

/// <summary>
/// What a signed per-record form link opens: the form (and the entity it creates), the record it is about and that
/// record's number as the customer knows it (its reference display field, else its id).
/// </summary>
public sealed record RecordFormTarget(AppDefinition App, PublicFormDefinition Form, EntityDefinition Entity, EntityDefinition SubjectEntity, Guid SubjectId, string SubjectNumber);
