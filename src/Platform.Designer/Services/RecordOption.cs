namespace Platform.Designer.Services;

/// <summary>A record offered by a reference picker: its id and display text.</summary>
public sealed record RecordOption(Guid Id, string Title);
