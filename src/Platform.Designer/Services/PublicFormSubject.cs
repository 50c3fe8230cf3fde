using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>The record a per-record public form link is about: its entity, id and number, and whether it was already answered.</summary>
public sealed record PublicFormSubject(EntityDefinition Entity, Guid Id, string Number, bool Answered);
