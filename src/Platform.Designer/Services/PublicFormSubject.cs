using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>The record a per-record public form link is about: its entity, id and number, and whether it was already answered.</summary>
public sealed record PublicFormSubject(EntityDefinition Entity, Guid Id, string Number, bool Answered)
{
    /// <summary>
    /// The record's signed tracking page (<c>/t/{token}</c>) when the customer portal tracks its entity, else null: the one
    /// link a message needs, since the form page leads on to the record's timeline.
    /// </summary>
    public string? TrackingPath { get; init; }
}
