using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Templates;

/// <summary>
/// The template package: <c>{ format: "platform-app", formatVersion, app, entities, flows, rules, reports,
/// dashboards, publicForms, printTemplates, customerPortal?, seed }</c>. Steps, fields and rules are referenced by key.
/// </summary>
public sealed record AppPackage
{
    /// <summary>The only format name this build reads and writes.</summary>
    public const string FormatName = "platform-app";

    /// <summary>Highest format version this build reads; export writes it.</summary>
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required AppInfo App { get; init; }

    public IReadOnlyList<EntityDefinition> Entities { get; init; } = [];

    public IReadOnlyList<Platform.Core.Flows.Definitions.FlowDefinition> Flows { get; init; } = [];

    public IReadOnlyList<Platform.Core.Rules.Definitions.RuleDefinition> Rules { get; init; } = [];

    public IReadOnlyList<Platform.Core.Reports.Definitions.ReportDefinition> Reports { get; init; } = [];

    public IReadOnlyList<Platform.Core.Reports.Definitions.DashboardDefinition> Dashboards { get; init; } = [];

    public IReadOnlyList<PublicFormDefinition> PublicForms { get; init; } = [];

    public IReadOnlyList<Platform.Core.Printing.PrintTemplateDefinition> PrintTemplates { get; init; } = [];

    /// <summary>Login-free customer self-service: tracked entities, their visible fields, the code message.</summary>
    public CustomerPortalDefinition? CustomerPortal { get; init; }

    /// <summary>Optional rows to insert on import, by entity key. A row may carry <c>id</c> (any string,
    /// remapped to a new record id) so that other seed rows can reference it as <c>"@id"</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonObject>>? Seed { get; init; }
}
