using System.Globalization;
using MudBlazor;
using Platform.Core.Forms;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Tasks;

/// <summary>How the flow's verbs, statuses and moments read on screen, in the UI's language.</summary>
public static class FlowWords
{
    /// <summary>A history or task action verb.</summary>
    public static string Action(string? action) => action switch
    {
        "start" => T("发起", "Started"),
        "enter" => T("进入", "Entered"),
        "approve" => T("通过", "Approved"),
        "reject" => T("驳回", "Rejected"),
        "return" => T("退回", "Returned"),
        "transfer" => T("转交", "Transferred"),
        "add-signer" => T("加签", "Added a signer"),
        "withdraw" => T("撤回", "Withdrew"),
        "urge" => T("催办", "Urged"),
        "comment" => T("评论", "Commented"),
        "remind" => T("超时提醒", "Overdue reminder"),
        "escalate" => T("超时升级", "Escalated"),
        "auto-approve" => T("超时自动通过", "Auto-approved"),
        "auto-reject" => T("超时自动驳回", "Auto-rejected"),
        "end" => T("结束", "Ended"),
        null or "" => string.Empty,
        _ => action,
    };

    /// <summary>A flow instance's status.</summary>
    public static string Status(string? status) => status switch
    {
        "running" => T("进行中", "Running"),
        "completed" => T("已完成", "Completed"),
        "rejected" => T("已驳回", "Rejected"),
        "cancelled" => T("已撤回", "Cancelled"),
        _ => status ?? string.Empty,
    };

    public static Color StatusColor(string? status) => status switch
    {
        "running" => Color.Info,
        "completed" => Color.Success,
        "rejected" => Color.Error,
        _ => Color.Default,
    };

    /// <summary>The color of a history line's dot.</summary>
    public static Color ActionColor(string? action) => action switch
    {
        "approve" or "auto-approve" => Color.Success,
        "reject" or "auto-reject" or "withdraw" => Color.Error,
        "return" or "remind" or "urge" => Color.Warning,
        "start" or "enter" => Color.Primary,
        _ => Color.Default,
    };

    /// <summary>Who acted: a person's name, the system (timers, routing) or a rule.</summary>
    public static string Who(string by) => by switch
    {
        "system" => T("系统", "System"),
        _ when by.StartsWith("rule:", StringComparison.Ordinal) => T("规则 ", "Rule ") + by["rule:".Length..],
        _ => by,
    };

    /// <summary>A moment in China time, <c>yyyy-MM-dd HH:mm</c>.</summary>
    public static string Moment(DateTimeOffset? at) =>
        at is { } value ? ChinaTime.ToChina(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;
}
