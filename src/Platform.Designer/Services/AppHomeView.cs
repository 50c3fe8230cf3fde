using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>An app's home: its published definition, record counts per entity and the user's open tasks in the app.</summary>
public sealed record AppHomeView(AppDefinition App, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<TaskItemView> Tasks);
