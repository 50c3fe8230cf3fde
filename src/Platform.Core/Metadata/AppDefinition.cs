using System.Text.Json.Nodes;

namespace Platform.Core.Metadata;

/// <summary>
/// A published application: its entities (with forms) and, as their engines land, flows, rules,
/// reports and dashboards. Immutable; a publish creates a new <see cref="Version"/>.
/// </summary>
public sealed record AppDefinition
{
    /// <summary>Stable snake_case key, e.g. <c>after_sales</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Display name (zh-CN first).</summary>
    public required string Name { get; init; }

    /// <summary>English display name.</summary>
    public string? NameEn { get; init; }

    public string? Description { get; init; }

    public string? Icon { get; init; }

    /// <summary>Published version, starting at 1.</summary>
    public int Version { get; init; } = 1;

    public IReadOnlyList<EntityDefinition> Entities { get; init; } = [];

    /// <summary>Flow definitions (each with its own published version).</summary>
    public IReadOnlyList<Platform.Core.Flows.Definitions.FlowDefinition> Flows { get; init; } = [];

    /// <summary>Event–condition–action rules.</summary>
    public IReadOnlyList<Platform.Core.Rules.Definitions.RuleDefinition> Rules { get; init; } = [];

    /// <summary>Report definitions (compiled to SQL by the runtime).</summary>
    public IReadOnlyList<Platform.Core.Reports.Definitions.ReportDefinition> Reports { get; init; } = [];

    /// <summary>Dashboards: report widgets on a grid with shared filters.</summary>
    public IReadOnlyList<Platform.Core.Reports.Definitions.DashboardDefinition> Dashboards { get; init; } = [];

    /// <summary>Forms published for anonymous users (links, QR codes, embeds).</summary>
    public IReadOnlyList<PublicFormDefinition> PublicForms { get; init; } = [];

    /// <summary>Print templates: an entity's records as print-ready A4 pages (docs/printing.md).</summary>
    public IReadOnlyList<Platform.Core.Printing.PrintTemplateDefinition> PrintTemplates { get; init; } = [];

    /// <summary>Login-free customer self-service (phone-verified "my requests", signed tracking links); null = off.</summary>
    public CustomerPortalDefinition? CustomerPortal { get; init; }

    /// <summary>Finds an entity by key, or null.</summary>
    public EntityDefinition? FindEntity(string key) => Entities.FirstOrDefault(e => e.Key == key);

    /// <summary>Finds a rule by key, or null.</summary>
    public Platform.Core.Rules.Definitions.RuleDefinition? FindRule(string key) => Rules.FirstOrDefault(r => r.Key == key);

    /// <summary>Finds a report by key, or null.</summary>
    public Platform.Core.Reports.Definitions.ReportDefinition? FindReport(string key) => Reports.FirstOrDefault(r => r.Key == key);

    /// <summary>Finds a dashboard by key, or null.</summary>
    public Platform.Core.Reports.Definitions.DashboardDefinition? FindDashboard(string key) => Dashboards.FirstOrDefault(d => d.Key == key);

    /// <summary>Finds a print template by key, or null.</summary>
    public Platform.Core.Printing.PrintTemplateDefinition? FindPrintTemplate(string key) => PrintTemplates.FirstOrDefault(t => t.Key == key);

    /// <summary>Finds a flow by key, or null.</summary>
    public Platform.Core.Flows.Definitions.FlowDefinition? FindFlow(string key) => Flows.FirstOrDefault(f => f.Key == key);
}
