using Platform.Core.Metadata;

namespace Platform.Core.Reports;

/// <summary>
/// One step along a reference: from a record through its <see cref="Via"/> field to the <see cref="Target"/>
/// record whose id (or, for a record lookup, whose <see cref="MatchField"/>) equals the field's value.
/// </summary>
/// <param name="Prefix">The path up to and including this hop, e.g. <c>service_request.engineer</c>.</param>
/// <param name="Via">The reference or lookup field followed.</param>
/// <param name="Target">The entity reached.</param>
/// <param name="MatchField">For record lookups, the target field matched; null when the value is a record id.</param>
public sealed record ReportHop(string Prefix, FieldDefinition Via, EntityDefinition Target, string? MatchField);
