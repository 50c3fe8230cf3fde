using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Designer.Services;
using Platform.Runtime.Api;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Exports;

namespace Platform.Runtime.Ui;

/// <summary>Maps runtime results to the view records the pages show.</summary>
internal static partial class UiViews
{
    /// <summary>Step types whose tasks a rejection may return to.</summary>
    private static readonly HashSet<string> TaskStepTypes = ["approval", "task"];

    [GeneratedRegex(@"^/apps/([^/]+)/([^/]+)/([0-9a-fA-F-]{36})$")]
    private static partial Regex FlowLink();

    public static TaskItemView Task(TaskDto t, AppDefinition? app) => new(
        t.Id, t.App, app?.Name ?? t.App, t.Entity, app?.FindEntity(t.Entity)?.Label ?? t.Entity, t.RecordId, t.FlowInstanceId, t.Step, t.StepName, t.Title, t.Kind,
        t.Assignee, t.Role, t.Status, t.CreatedAt, t.DueAt, t.ClosedAt, t.Action, t.Comment);

    /// <summary>An open task the actor may act on, with its step's editable fields and the earlier task steps it may return to.</summary>
    public static TaskOptionView Option(FlowInstance instance, FlowDefinition flow, FlowTask task)
    {
        var step = flow.FindStep(task.Step);
        var targets = instance.Visited.Distinct(StringComparer.Ordinal)
            .Where(k => k != task.Step && flow.FindStep(k) is { } s && TaskStepTypes.Contains(s.Type))
            .Select(k => new StepChoice(k, flow.FindStep(k)!.Title))
            .ToList();
        return new TaskOptionView(
            task.Id, instance.App, instance.Entity, instance.RecordId, task.Step, step?.Title ?? task.Step, task.Kind, task.Status, task.CreatedAt, task.DueAt,
            step?.Fields?.Editable ?? [], step?.Fields?.Required ?? [], targets);
    }

    public static TaskActionResult Result<T>(CommandResult<T> result) => new(
        result.Outcome switch
        {
            CommandOutcome.Ok => TaskActionOutcome.Ok,
            CommandOutcome.NotFound => TaskActionOutcome.NotFound,
            CommandOutcome.Conflict => TaskActionOutcome.Conflict,
            CommandOutcome.Forbidden => TaskActionOutcome.Forbidden,
            _ => TaskActionOutcome.Invalid,
        },
        result.Detail ?? (result.Errors is { Count: > 0 } e ? string.Join("；", e.SelectMany(p => p.Value)) : null),
        result.Errors ?? new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The UI route of a notification's record (the flow writes <c>/apps/{app}/{entity}/{id}</c>).</summary>
    public static string? Link(string? link) =>
        link is null ? null : FlowLink().Match(link) is { Success: true } m ? $"/apps/{m.Groups[1].Value}/records/{m.Groups[2].Value}/{m.Groups[3].Value}" : link;

    /// <summary>A cell as text: numbers invariant, everything else as the export shows it.</summary>
    public static string Cell(ExportFieldPlan plan, JsonNode? value, ExportLookups lookups) =>
        ExportCells.Format(plan, value, lookups) switch
        {
            null => string.Empty,
            decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
        };

    /// <summary>The file ids an upload field holds.</summary>
    public static IReadOnlyList<string> Files(JsonNode? value) => value switch
    {
        JsonArray list => list.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
