using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>
/// A print template checked against its app: sanitized HTML with every placeholder resolved, and what the runtime has to
/// look up before rendering (related records, flow history and status, the tracking link).
/// </summary>
public sealed class CompiledPrintTemplate
{
    internal CompiledPrintTemplate(
        PrintTemplateDefinition definition, EntityDefinition entity, IReadOnlyList<PrintNode> nodes, IReadOnlyList<PrintRelatedSource> related,
        bool usesHistory, bool usesFlow, bool usesTracking)
    {
        Definition = definition;
        Entity = entity;
        Nodes = nodes;
        Related = related;
        UsesHistory = usesHistory;
        UsesFlow = usesFlow || usesHistory;
        UsesTracking = usesTracking;
    }

    public PrintTemplateDefinition Definition { get; }

    /// <summary>The entity whose records it prints.</summary>
    public EntityDefinition Entity { get; }

    /// <summary>The <c>{{#related}}</c> sources, each once.</summary>
    public IReadOnlyList<PrintRelatedSource> Related { get; }

    /// <summary>Prints <c>{{#each _history}}</c>.</summary>
    public bool UsesHistory { get; }

    /// <summary>Prints the flow's status, steps or history.</summary>
    public bool UsesFlow { get; }

    /// <summary>Prints the tracking number, link or its QR code.</summary>
    public bool UsesTracking { get; }

    internal IReadOnlyList<PrintNode> Nodes { get; }
}
