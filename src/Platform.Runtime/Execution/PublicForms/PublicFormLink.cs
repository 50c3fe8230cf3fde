namespace Platform.Runtime.Execution.PublicForms;

/// <summary>The active link of one public form: its unguessable token.</summary>
public sealed record PublicFormLink(string Token, string App, string Form, DateTimeOffset CreatedAt);
