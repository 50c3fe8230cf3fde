namespace Platform.Runtime.Persistence;

/// <summary>An auto-number to assign at insert: <c>Prefix + seq padded to Width + Suffix</c> from sequence <c>SequenceKey</c>.</summary>
public sealed record AutoNumberSlot(string Field, string SequenceKey, string Prefix, int Width, string Suffix);
