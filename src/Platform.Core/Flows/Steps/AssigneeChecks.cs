using Platform.Core.Flows.Definitions;

namespace Platform.Core.Flows.Steps;

/// <summary>Validation shared by the steps that have assignees.</summary>
internal static class AssigneeChecks
{
    public static void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if (step.Assignees is null || step.Assignees.IsEmpty)
        {
            problems("assignees", $"步骤 '{step.Key}' 没有指定处理人（用户、角色、部门、用户字段或表达式）");
            return;
        }

        if (step.Assignees.UserField is { } field && field != Runtime.FlowVariables.Initiator && !context.HasField(field))
        {
            problems("assignees.userField", $"处理人字段 '{field}' 不存在");
        }

        if (step.Assignees.Expression is { } expression && context.CheckExpression(expression) is { } problem)
        {
            problems("assignees.expression", $"处理人表达式：{problem}");
        }
    }
}
