namespace Platform.Designer.Services;

/// <summary>An entity of an app with its record count.</summary>
public sealed record EntityCard(string Key, string Label, long RecordCount);
