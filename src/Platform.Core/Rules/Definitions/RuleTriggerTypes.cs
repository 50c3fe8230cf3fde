namespace Platform.Core.Rules.Definitions;

/// <summary>The stable trigger type names.</summary>
public static class RuleTriggerTypes
{
    public const string RecordCreated = "record.created";
    public const string RecordUpdated = "record.updated";
    public const string FieldChanged = "field.changed";
    public const string RecordDeleted = "record.deleted";
    public const string StepEntered = "step.entered";
    public const string StepCompleted = "step.completed";
    public const string TaskOverdue = "task.overdue";
    public const string Schedule = "schedule";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All =
        [RecordCreated, RecordUpdated, FieldChanged, RecordDeleted, StepEntered, StepCompleted, TaskOverdue, Schedule, Webhook];

    /// <summary>Triggers that concern one record of the rule's entity.</summary>
    public static bool IsRecordTrigger(string type) => type is not (Schedule or Webhook);
}
