using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>What a public form link opens: the app, the form and its entity, and the fields the form shows (in order).</summary>
public sealed record PublicFormView(string Token, AppDefinition App, PublicFormDefinition Form, EntityDefinition Entity, IReadOnlyList<FieldDefinition> Fields);
