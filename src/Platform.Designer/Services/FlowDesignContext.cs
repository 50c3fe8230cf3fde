using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>The app the flow belongs to, its published version (null for a new flow), and the people, roles and departments to pick assignees from.</summary>
public sealed record FlowDesignContext(
    AppDefinition App,
    FlowDefinition? Published,
    IReadOnlyList<DirectoryUser> Users,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Departments);
