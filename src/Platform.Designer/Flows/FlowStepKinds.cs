using System.Text.Json.Nodes;

namespace Platform.Designer.Flows;

/// <summary>
/// The designer's look of every step type of the FlowStepRegistry, in palette order. A type the registry has but this
/// list does not (a plug-in step) still gets a plain grey box.
/// </summary>
public static class FlowStepKinds
{
    public static IReadOnlyList<FlowStepKind> All { get; } =
    [
        new("start", "开始", "Start", "round", "#52c41a", "▶", "流程从这里开始", "Where the flow begins"),
        new("approval", "审批", "Approval", "task", "#1677ff", "✔", "指定人员审批：单人、会签、或签、依次", "People approve: single, countersign, or-sign, sequential"),
        new("task", "办理", "Handler task", "task", "#13c2c2", "✎", "处理人办理并填写字段", "The assignee does the work and fills fields"),
        new("cc", "抄送", "CC", "task", "#722ed1", "✉", "通知相关人员，不等待", "Notifies people and passes on"),
        new("gateway", "条件分支", "Exclusive gateway", "diamond", "#fa8c16", "✕", "按条件走其中一条分支", "Takes the first branch whose condition holds"),
        new("parallel", "并行分支", "Parallel split", "diamond", "#2f54eb", "+", "同时进入所有分支", "Enters every branch at once"),
        new("join", "并行汇聚", "Parallel join", "diamond", "#597ef7", "≡", "等所有分支到达后继续", "Waits for every branch"),
        new("automation", "自动化", "Automation", "task", "#eb2f96", "⚙", "设置字段、执行动作", "Sets fields and runs actions"),
        new("wait", "等待", "Wait", "task", "#faad14", "◷", "等待一段时间或到某个日期", "Waits a while or until a date"),
        new("end", "结束", "End", "round", "#f5222d", "■", "流程在这里结束", "Where the flow ends"),
    ];

    /// <summary>The kind of a type, or a grey box for a type the designer does not know.</summary>
    public static FlowStepKind Of(string type) =>
        All.FirstOrDefault(k => k.Type == type) ?? new FlowStepKind(type, type, type, "task", "#8c8c8c", "?", string.Empty, string.Empty);

    /// <summary>The kinds as the canvas script reads them: type → { shape, color, icon, label }.</summary>
    public static string ToCanvasJson(IEnumerable<string> registered, bool english)
    {
        var json = new JsonObject();
        foreach (var type in All.Select(k => k.Type).Concat(registered).Distinct())
        {
            var kind = Of(type);
            json[type] = new JsonObject { ["shape"] = kind.Shape, ["color"] = kind.Color, ["icon"] = kind.Icon, ["label"] = english ? kind.En : kind.Zh };
        }

        return json.ToJsonString();
    }
}
