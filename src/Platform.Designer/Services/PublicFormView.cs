using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>
/// What a public form link opens: the app, the form and its entity, and the fields the form shows (in order); for a
/// per-record link also the record it is about.
/// </summary>
public sealed record PublicFormView(string Token, AppDefinition App, PublicFormDefinition Form, EntityDefinition Entity, IReadOnlyList<FieldDefinition> Fields)
{
    /// <summary>The record a per-record link answers about; null for a shared form link.</summary>
    public PublicFormSubject? Subject { get; init; }
}
