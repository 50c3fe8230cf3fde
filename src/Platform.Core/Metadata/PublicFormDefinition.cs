namespace Platform.Core.Metadata;

/// <summary>
/// A form anonymous users fill through a link, QR code or embed. It creates records of
/// <see cref="Entity"/>; <see cref="TrackingField"/> (an auto-number) and <see cref="PhoneField"/> let
/// the customer track the record later. With <see cref="SubjectField"/> it is a per-record form instead (a feedback
/// survey about one request): it has no shared link and is opened only through signed links made for one record.
/// </summary>
public sealed record PublicFormDefinition
{
    public required string Key { get; init; }

    public required string Entity { get; init; }

    public required string Title { get; init; }

    public string? TitleEn { get; init; }

    public string? Description { get; init; }

    /// <summary>Fields shown on the public form; empty means every non-system field.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public string? TrackingField { get; init; }

    public string? PhoneField { get; init; }

    public string? SuccessMessage { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// A reference field of <see cref="Entity"/>: the form answers about one record of the referenced entity. Its links are
    /// signed for that record (<c>{{$formLinks.&lt;form&gt;}}</c> in a rule message on the referenced entity), the field is
    /// filled from the link (the customer cannot change it), and each record can be answered once. Null for ordinary forms.
    /// </summary>
    public string? SubjectField { get; init; }

    /// <summary>
    /// For a per-record form, what makes a record answered so its link takes no more answers: <c>any</c> (or null) — any
    /// record of <see cref="Entity"/> naming it, also one staff entered (a phone callback); <c>form</c> — only an answer given
    /// through this form, so the customer's own answer is still taken after staff recorded theirs.
    /// </summary>
    public string? AnsweredBy { get; init; }

    /// <summary>
    /// For a per-record form, when the customer's own views of the subject record (its tracking link page and <c>/my</c>) offer
    /// the form while it is unanswered: a condition over the subject record's fields (<c>status === 'resolved'</c>). Null: the
    /// form is reached only through the links rule messages send.
    /// </summary>
    public string? OfferWhen { get; init; }
}
