namespace Platform.Core.Forms;

/// <summary>
/// An auto-number the store must assign at insert: <c>Prefix + next(sequence) padded to Width + Suffix</c>.
/// The sequence is named by field and formatted prefix, so numbers are gapless per day and pattern.
/// </summary>
public sealed record AutoNumberRequest(string Field, string Prefix, int Width, string Suffix);
