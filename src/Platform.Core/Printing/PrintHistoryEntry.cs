namespace Platform.Core.Printing;

/// <summary>One line of a record's flow history as printed by <c>{{#each _history}}</c>: all display text.</summary>
public sealed record PrintHistoryEntry(string Step, string Action, string Text, string By, DateTimeOffset At, string? Comment);
