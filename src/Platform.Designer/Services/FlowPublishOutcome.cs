using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>The published version, or the problems that refused the publish (nothing written then).</summary>
public sealed record FlowPublishOutcome(int? Version, IReadOnlyList<DefinitionProblem> Problems);
