namespace Platform.Runtime.Execution.Mobile;

/// <summary>A part the engineer may pick: its record id, its name (display field) and the configured detail texts (e.g. part number, stock).</summary>
public sealed record MobilePartOption(Guid Id, string Name, IReadOnlyList<MobileDetailField> Details);
