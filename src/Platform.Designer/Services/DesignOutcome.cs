using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>What a create, import or publish did: the app key and version, or every problem (nothing written).</summary>
public sealed record DesignOutcome(string? AppKey, int Version, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}
