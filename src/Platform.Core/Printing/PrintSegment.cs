namespace Platform.Core.Printing;

/// <summary>
/// A piece of sanitized template HTML: safe markup (tags rebuilt from the allowlist, style sheets checked) or text that
/// may hold placeholders. <see cref="Offset"/> is where it started in the designer's HTML.
/// </summary>
public sealed record PrintSegment(bool IsText, string Content, int Offset);
