namespace Platform.Core.Metadata.Diff;

/// <summary>
/// One difference between two versions of an entity. <see cref="Before"/> and <see cref="After"/> are compact JSON
/// (or a section key for moves) so any property reads the same way: <c>required: false → true</c>.
/// </summary>
public sealed record EntityChange(EntityChangeKind Kind, string? Field = null, string? Section = null, string? Property = null, string? Before = null, string? After = null);
