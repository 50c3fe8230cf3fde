using Platform.Core.Flows.Definitions;

namespace Platform.Designer.Flows;

/// <summary>
/// The changes the designer makes to a flow, each returning a new definition (definitions are immutable records):
/// what the canvas reports (a node dropped, moved or deleted, an edge drawn or deleted) and what the property panel sets.
/// </summary>
public static class FlowEdits
{
    /// <summary>A new step from the palette, named after its type; a key already used gets the next free number.</summary>
    public static FlowDefinition AddStep(FlowDefinition flow, string key, string type, double x, double y, string? name = null)
    {
        var unique = key;
        for (var i = 2; flow.FindStep(unique) is not null; i++)
        {
            unique = $"{type}_{i}";
        }

        var step = new FlowStep { Key = unique, Type = type, Name = name, Position = new StepPosition(x, y) };
        if (type == "end")
        {
            step = step with { EndStatus = "completed" };
        }

        return flow with { Steps = [.. flow.Steps, step] };
    }

    public static FlowDefinition MoveStep(FlowDefinition flow, string key, double x, double y) =>
        UpdateStep(flow, key, s => s with { Position = new StepPosition(x, y) });

    /// <summary>Removes the step, its edges, and the rejections that went back to it.</summary>
    public static FlowDefinition RemoveStep(FlowDefinition flow, string key) => flow with
    {
        Steps = flow.Steps.Where(s => s.Key != key).Select(s => s.RejectTo == key ? s with { RejectTo = null } : s).ToList(),
        Transitions = flow.Transitions.Where(t => t.From != key && t.To != key).ToList(),
    };

    /// <summary>Adds an edge unless the same one exists; the first edge out of a gateway becomes its default.</summary>
    public static FlowDefinition AddTransition(FlowDefinition flow, string from, string to)
    {
        if (flow.Transitions.Any(t => t.From == from && t.To == to) || flow.FindStep(from) is null || flow.FindStep(to) is null)
        {
            return flow;
        }

        var gateway = flow.FindStep(from)!.Type == "gateway";
        var transition = new FlowTransition { From = from, To = to, IsDefault = gateway && !flow.Outgoing(from).Any() };
        return flow with { Transitions = [.. flow.Transitions, transition] };
    }

    public static FlowDefinition RemoveTransition(FlowDefinition flow, string from, string to) =>
        flow with { Transitions = flow.Transitions.Where(t => !(t.From == from && t.To == to)).ToList() };

    public static FlowDefinition UpdateStep(FlowDefinition flow, string key, Func<FlowStep, FlowStep> change) =>
        flow with { Steps = flow.Steps.Select(s => s.Key == key ? change(s) : s).ToList() };

    public static FlowDefinition UpdateTransition(FlowDefinition flow, string from, string to, Func<FlowTransition, FlowTransition> change) =>
        flow with { Transitions = flow.Transitions.Select(t => t.From == from && t.To == to ? change(t) : t).ToList() };

    /// <summary>Makes one edge the default of its gateway (a gateway has one default) and clears its condition.</summary>
    public static FlowDefinition SetDefault(FlowDefinition flow, string from, string to) => flow with
    {
        Transitions = flow.Transitions.Select(t => t.From != from ? t : t.To == to ? t with { IsDefault = true, Condition = null } : t with { IsDefault = false }).ToList(),
    };

    /// <summary>Sets a field's permission at a step: editable, readonly, hidden, or null for the entity's default; required only for editable fields.</summary>
    public static StepFieldAccess SetFieldAccess(StepFieldAccess? access, string field, string? mode, bool required)
    {
        var current = access ?? new StepFieldAccess();
        var editable = current.Editable.Where(f => f != field).ToList();
        var readOnly = current.ReadOnly.Where(f => f != field).ToList();
        var hidden = current.Hidden.Where(f => f != field).ToList();
        var requiredList = current.Required.Where(f => f != field).ToList();
        switch (mode)
        {
            case "editable":
                editable.Add(field);
                if (required)
                {
                    requiredList.Add(field);
                }

                break;
            case "readonly":
                readOnly.Add(field);
                break;
            case "hidden":
                hidden.Add(field);
                break;
        }

        return new StepFieldAccess { Editable = editable, ReadOnly = readOnly, Hidden = hidden, Required = requiredList };
    }

    /// <summary>editable, readonly, hidden, or null (the entity's default) for one field at a step.</summary>
    public static string? FieldMode(StepFieldAccess? access, string field) =>
        access is null ? null
        : access.Editable.Contains(field) ? "editable"
        : access.ReadOnly.Contains(field) ? "readonly"
        : access.Hidden.Contains(field) ? "hidden"
        : null;

    /// <summary>Null when the access lists are all empty, so an untouched step writes no <c>fields</c> object.</summary>
    public static StepFieldAccess? Trim(StepFieldAccess? access) =>
        access is null || (access.Editable.Count == 0 && access.ReadOnly.Count == 0 && access.Hidden.Count == 0 && access.Required.Count == 0) ? null : access;
}
