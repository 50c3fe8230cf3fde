using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>A piece of a compiled print template.</summary>
internal abstract record PrintNode(int Offset);

/// <summary>Sanitized markup or text, written as it is.</summary>
internal sealed record PrintLiteralNode(string Html, int Offset) : PrintNode(Offset);

/// <summary><c>{{name}}</c> (display value) or <c>{{name.raw}}</c>.</summary>
internal sealed record PrintValueNode(PrintBinding Binding, bool Raw, int Offset) : PrintNode(Offset);

/// <summary><c>{{qr}}</c>, <c>{{qr:tracking}}</c>, <c>{{qr:record}}</c> or <c>{{qr:field}}</c> (then <see cref="Field"/>).</summary>
internal sealed record PrintQrNode(string Kind, PrintBinding? Field, int Offset) : PrintNode(Offset);

/// <summary><c>{{#each subTable}}…{{/each}}</c> or <c>{{#each _history}}…{{/each}}</c> (then <see cref="Source"/> is null).</summary>
internal sealed record PrintEachNode(FieldDefinition? Source, IReadOnlyList<PrintNode> Body, int Offset) : PrintNode(Offset);

/// <summary><c>{{#related entity.field}}…{{/related}}</c>: records of another entity whose reference field points at the record.</summary>
internal sealed record PrintRelatedNode(PrintRelatedSource Source, EntityDefinition Target, IReadOnlyList<PrintNode> Body, int Offset) : PrintNode(Offset);

/// <summary>
/// What a name resolved to: a field <paramref name="Depth"/> scopes out (<paramref name="Field"/> with its
/// <paramref name="Siblings"/>), a history entry's property, or a system value (<c>_id</c>, <c>_now</c>, …).
/// </summary>
internal sealed record PrintBinding(string Name, int Depth, FieldDefinition? Field, IReadOnlyList<FieldDefinition>? Siblings);
