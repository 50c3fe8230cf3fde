using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Core.Flows;

/// <summary>
/// Checks the phone-view settings of a flow's steps against the app: each named field exists with a fitting type,
/// the fields filled on site are editable at the step, the signature is required there (so completing without it is
/// refused by the flow engine), and the parts entity references the flow's entity and a part.
/// </summary>
public static class MobileJobChecks
{
    private static readonly HashSet<string> TextTypes = ["text", "textarea"];

    private static readonly HashSet<string> PhoneTypes = ["phone", "text"];

    private static readonly HashSet<string> DateTypes = ["date", "datetime"];

    private static readonly HashSet<string> NumberTypes = ["integer", "number"];

    private static readonly HashSet<string> TaskStepTypes = ["task", "approval"];

    /// <summary>Adds the problems of every step's <c>mobile</c> settings of <paramref name="flow"/>, at paths below <paramref name="path"/>.</summary>
    public static void Validate(FlowDefinition flow, EntityDefinition? entity, IReadOnlyDictionary<string, EntityDefinition> entities, string path, Action<string, string> add)
    {
        for (var s = 0; s < flow.Steps.Count; s++)
        {
            if (flow.Steps[s] is { Mobile: { } mobile } step)
            {
                Validate(step, mobile, entity, entities, $"{path}.steps[{s}].mobile", add);
            }
        }
    }

    private static void Validate(FlowStep step, MobileJobSettings mobile, EntityDefinition? entity, IReadOnlyDictionary<string, EntityDefinition> entities, string path, Action<string, string> add)
    {
        if (!TaskStepTypes.Contains(step.Type))
        {
            add(path, $"移动端工单只能设在办理（task）或审批（approval）步骤上，'{step.Key}' 是 {step.Type} / mobile jobs need a task or approval step");
        }

        if (!MobileMaps.All.Contains(mobile.Map))
        {
            add($"{path}.map", $"地图 '{mobile.Map}' 无效：应为 {string.Join(", ", MobileMaps.All)}");
        }

        if (entity is null)
        {
            return;
        }

        void Field(string? key, string name, IReadOnlySet<string>? types, string? kinds)
        {
            if (key is null)
            {
                return;
            }

            if (entity.FindField(key) is not { } field)
            {
                add($"{path}.{name}", $"实体 '{entity.Key}' 中没有字段 '{key}'");
            }
            else if (types is not null && !types.Contains(field.Type))
            {
                add($"{path}.{name}", $"字段 '{key}' 是 {field.Type}，这里需要{kinds}字段");
            }
        }

        Field(mobile.Customer, "customer", null, null);
        Field(mobile.Phone, "phone", PhoneTypes, "手机号或文本");
        Field(mobile.Address, "address", TextTypes, "文本");
        Field(mobile.Product, "product", null, null);
        Field(mobile.Priority, "priority", new HashSet<string> { "select" }, "单选");
        Field(mobile.Schedule, "schedule", DateTypes, "日期或日期时间");
        Field(mobile.Description, "description", TextTypes, "文本");
        Field(mobile.Photos, "photos", new HashSet<string> { "image" }, "图片");
        for (var i = 0; i < mobile.Details.Count; i++)
        {
            Field(mobile.Details[i], $"details[{i}]", null, null);
        }

        var editable = step.Fields?.Editable ?? [];
        Field(mobile.WorkPhotos, "workPhotos", new HashSet<string> { "image" }, "图片");
        if (mobile.WorkPhotos is { } photos && entity.FindField(photos) is not null && !editable.Contains(photos))
        {
            add($"{path}.workPhotos", $"施工照片字段 '{photos}' 须在此步骤可编辑（fields.editable）/ must be editable at the step");
        }

        if (mobile.Signature is not { } signature)
        {
            add($"{path}.signature", "移动端工单须有客户签字字段（图片），完成时由客户签字确认 / a signature field is required");
        }
        else
        {
            Field(signature, "signature", new HashSet<string> { "image" }, "图片");
            if (entity.FindField(signature) is not null && (!editable.Contains(signature) || !(step.Fields?.Required ?? []).Contains(signature)))
            {
                add($"{path}.signature", $"签字字段 '{signature}' 须在此步骤可编辑且必填（fields.editable 与 fields.required），服务端才会拒绝未签字的完成 / must be editable and required at the step");
            }
        }

        if (mobile.Parts is { } parts)
        {
            ValidateParts(parts, entity, entities, $"{path}.parts", add);
        }
    }

    private static void ValidateParts(MobilePartsSettings parts, EntityDefinition entity, IReadOnlyDictionary<string, EntityDefinition> entities, string path, Action<string, string> add)
    {
        if (!entities.TryGetValue(parts.Entity ?? string.Empty, out var lines))
        {
            add($"{path}.entity", $"没有实体 '{parts.Entity}'");
            return;
        }

        if (lines.FindField(parts.RecordField ?? string.Empty) is not { } record)
        {
            add($"{path}.recordField", $"实体 '{lines.Key}' 中没有字段 '{parts.RecordField}'");
        }
        else if (record.Type != "reference" || record.Reference?.Entity != entity.Key)
        {
            add($"{path}.recordField", $"字段 '{record.Key}' 须是引用 '{entity.Key}' 的引用字段");
        }

        EntityDefinition? partEntity = null;
        if (lines.FindField(parts.PartField ?? string.Empty) is not { } part)
        {
            add($"{path}.partField", $"实体 '{lines.Key}' 中没有字段 '{parts.PartField}'");
        }
        else if (part.Type != "reference" || part.Reference is null)
        {
            add($"{path}.partField", $"字段 '{part.Key}' 须是引用字段");
        }
        else
        {
            entities.TryGetValue(part.Reference.Entity, out partEntity);
        }

        if (lines.FindField(parts.QuantityField ?? string.Empty) is not { } quantity)
        {
            add($"{path}.quantityField", $"实体 '{lines.Key}' 中没有字段 '{parts.QuantityField}'");
        }
        else if (!NumberTypes.Contains(quantity.Type))
        {
            add($"{path}.quantityField", $"字段 '{quantity.Key}' 是 {quantity.Type}，数量须是整数或数字字段");
        }

        for (var i = 0; i < parts.PartDetails.Count; i++)
        {
            if (partEntity is not null && partEntity.FindField(parts.PartDetails[i]) is null)
            {
                add($"{path}.partDetails[{i}]", $"实体 '{partEntity.Key}' 中没有字段 '{parts.PartDetails[i]}'");
            }
        }
    }
}
