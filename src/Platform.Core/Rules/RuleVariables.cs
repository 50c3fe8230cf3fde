using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Rules;

/// <summary>
/// The variables rule expressions see besides the record's field keys: the previous values, the changed fields,
/// the event, the step, the record id, and in queries the candidate or the source record.
/// </summary>
public static partial class RuleVariables
{
    /// <summary>The record's values before the command (null for a create).</summary>
    public const string Old = "$old";

    /// <summary>The keys of the fields the command changed.</summary>
    public const string Changed = "$changed";

    /// <summary>The trigger type name.</summary>
    public const string Event = "$event";

    /// <summary>The step of a step trigger.</summary>
    public const string Step = "$step";

    /// <summary>The record's id.</summary>
    public const string Id = "$id";

    /// <summary>In a webhook trigger: the payload received.</summary>
    public const string Payload = "$payload";

    /// <summary>In an assignment: the chosen candidate (its fields, plus <c>id</c>).</summary>
    public const string Candidate = "$candidate";

    /// <summary>In update-records: the triggering record, while the target's fields are the plain names.</summary>
    public const string Source = "$source";

    /// <summary>In an action's <c>when</c>: what the previous action returned (adjust: <c>{ old, new }</c>).</summary>
    public const string Last = "$last";

    /// <summary>
    /// The signed tracking link of the record (<c>{PublicBaseUrl}/t/{token}</c>) for customer messages; empty when the
    /// entity is not in the app's customer portal.
    /// </summary>
    public const string TrackingLink = "$trackingLink";

    /// <summary>
    /// The signed links of the app's per-record public forms (<see cref="Metadata.PublicFormDefinition.SubjectField"/>) for
    /// the record, by form key: <c>{{$formLinks.service_feedback}}</c>. Only the forms a message names are made.
    /// </summary>
    public const string FormLinks = "$formLinks";

    /// <summary>Names the runtime always provides to rule expressions.</summary>
    public static readonly IReadOnlySet<string> Builtins =
        new HashSet<string>(StringComparer.Ordinal) { "$now", "$user", Old, Changed, Event, Step, Id, Payload, Candidate, Source, Last, TrackingLink, FormLinks };

    /// <summary>The form keys a text reads as <c>$formLinks.key</c> (or <c>$formLinks['key']</c>), in order, without repeats.</summary>
    public static IReadOnlyList<string> FormLinkKeys(string? text) =>
        text is null ? [] : FormLinkUse().Matches(text).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\$formLinks(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['""]([A-Za-z_][A-Za-z0-9_]*)['""]\s*\])")]
    private static partial Regex FormLinkUse();

    public static IReadOnlyList<string> Names(EntityDefinition? entity) => entity?.Fields.Select(f => f.Key).ToList() ?? [];
}
