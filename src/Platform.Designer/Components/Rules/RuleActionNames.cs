using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Rules;

/// <summary>Display names of rule trigger and action types (the stable names stay in the metadata).</summary>
public static class RuleActionNames
{
    public static string Action(string type) => type switch
    {
        "set-fields" => T("设置字段", "Set fields"),
        "create-record" => T("新建记录", "Create a record"),
        "update-records" => T("批量更新记录", "Update records"),
        "flow-approve" => T("自动通过审批", "Approve the step"),
        "flow-reject" => T("自动驳回", "Reject the step"),
        "assign" => T("自动分配（派工）", "Assign (dispatch)"),
        "adjust" => T("数值增减", "Adjust a number"),
        "notify" => T("站内通知", "In-app notification"),
        "email" => T("发送邮件", "Send e-mail"),
        "sms" => T("发送短信", "Send SMS"),
        "robot" => T("群机器人消息", "Group robot message"),
        "webhook" => T("调用 Webhook", "Call a webhook"),
        _ => type,
    };

    public static string Trigger(string type) => type switch
    {
        "record.created" => T("记录创建时", "Record created"),
        "record.updated" => T("记录更新时", "Record updated"),
        "field.changed" => T("字段变化时", "Field changed"),
        "record.deleted" => T("记录删除时", "Record deleted"),
        "step.entered" => T("进入流程步骤时", "Flow step entered"),
        "step.completed" => T("流程步骤完成时", "Flow step completed"),
        "task.overdue" => T("任务超时", "Task overdue"),
        "schedule" => T("定时执行", "On a schedule"),
        "webhook" => T("外部系统调用（入站 Webhook）", "Inbound webhook"),
        _ => type,
    };

    public static string QueryOp(string op) => op switch
    {
        "eq" => "=",
        "ne" => "≠",
        "gt" => ">",
        "ge" => "≥",
        "lt" => "<",
        "le" => "≤",
        "contains" => T("包含", "contains"),
        "in" => T("属于", "in"),
        _ => op,
    };
}
