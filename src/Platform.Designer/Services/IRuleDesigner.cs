using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Designer.Services;

/// <summary>
/// What the rule designer needs: the published app, the registered action types, publish (problems at their paths
/// below the rule, e.g. <c>trigger.cron</c>), a dry-run of the unsaved rule against a sample record, the firing log and
/// sample records. The runtime implements it with the services the rules API uses.
/// </summary>
public interface IRuleDesigner
{
    Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct);

    /// <summary>The names of the rule action registry, in registration order.</summary>
    IReadOnlyList<string> ActionTypes { get; }

    /// <summary>Publishes the rule as the signed-in user; the problems (empty when published) have paths relative to the rule.</summary>
    Task<IReadOnlyList<DefinitionProblem>> PublishAsync(string app, RuleDefinition rule, CancellationToken ct);

    /// <summary>The dry-run report (<c>matched</c>, <c>condition</c>, <c>wouldFire</c>, <c>actions</c>) as the API's dry-run gives it.</summary>
    Task<JsonObject> DryRunAsync(string app, RuleDefinition rule, JsonObject data, JsonObject? old, CancellationToken ct);

    Task<IReadOnlyList<RuleFiringView>> FiringsAsync(string app, string rule, int limit, CancellationToken ct);

    /// <summary>Recent records of the entity (newest first), optionally those whose title contains <paramref name="search"/>.</summary>
    Task<IReadOnlyList<SampleRecord>> SampleRecordsAsync(string app, string entity, string? search, CancellationToken ct);
}
