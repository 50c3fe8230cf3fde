using Platform.Core.Metadata;

namespace Platform.Core.Flows.Runtime;

/// <summary>The variables flow expressions see: the entity's field keys and <c>$initiator</c>.</summary>
public static class FlowVariables
{
    /// <summary>The user name of whoever started the instance.</summary>
    public const string Initiator = "$initiator";

    /// <summary>Names provided by the expression engine itself.</summary>
    public static readonly IReadOnlySet<string> Builtins = new HashSet<string>(StringComparer.Ordinal) { "$now", "$user", Initiator };

    public static IReadOnlyList<string> Names(EntityDefinition entity) => entity.Fields.Select(f => f.Key).ToList();
}
