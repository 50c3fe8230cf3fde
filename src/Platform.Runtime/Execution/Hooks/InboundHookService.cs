using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Execution.Hooks;

/// <summary>
/// Inbound webhooks: checks and stores hook settings, issues tokens, and turns a delivery into a create or an
/// update through <see cref="RecordService"/> as the system user <c>hook:{key}</c>, so validation and flows apply.
/// An <c>Idempotency-Key</c> seen within <see cref="IdempotencyWindow"/> gets the first answer again and writes nothing.
/// </summary>
public sealed partial class InboundHookService(
    InboundHookStore store, AppCatalog catalog, RecordService records, RecordStore recordStore, FieldTypeRegistry types, TimeProvider time)
{
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The user name writes of a hook are attributed to.</summary>
    public static string UserOf(string hookKey) => $"hook:{hookKey}";

    /// <summary>Problems with the settings keyed by property (<c>entity</c>, <c>matchField</c>, <c>mapping.{field}</c>); empty when valid.</summary>
    public Dictionary<string, IReadOnlyList<string>> Validate(AppDefinition app, string key, InboundHookSettings settings)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (!KeyPattern().IsMatch(key))
        {
            errors["key"] = ["须为 1-64 位小写字母、数字、_ 或 - / must be 1-64 of a-z, 0-9, _ or -"];
        }

        var entity = string.IsNullOrWhiteSpace(settings.Entity) ? null : app.FindEntity(settings.Entity);
        if (entity is null)
        {
            errors["entity"] = [string.IsNullOrWhiteSpace(settings.Entity) ? "必填 / required" : $"应用中没有实体 '{settings.Entity}' / no such entity in app '{app.Key}'"];
            return errors;
        }

        var matchField = settings.MatchField is null ? null : entity.FindField(settings.MatchField);
        if (settings.MatchField is not null && matchField is null)
        {
            errors["matchField"] = [$"实体 {entity.Key} 没有字段 '{settings.MatchField}' / no such field"];
        }
        else if (matchField is { Type: "sub-table" or "multi-select" or "image" or "video" or "file" })
        {
            errors["matchField"] = ["匹配字段须为单值字段 / the match field must hold a single value"];
        }

        foreach (var (field, path) in settings.Mapping ?? [])
        {
            var definition = entity.FindField(field);
            if (definition is null)
            {
                errors[$"mapping.{field}"] = [$"实体 {entity.Key} 没有字段 '{field}' / no such field"];
            }
            else if (definition.System || definition.ReadOnly || (types.TryGet(definition.Type, out var type) && !type.AcceptsInput))
            {
                errors[$"mapping.{field}"] = ["该字段由系统计算，不能写入 / the field is computed and cannot be written"];
            }
            else if (path is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                errors[$"mapping.{field}"] = ["须为 JSON 指针或路径字符串 / must be a path string"];
            }
            else if (PayloadPath.TryParse(text, out var error) is null)
            {
                errors[$"mapping.{field}"] = [error!];
            }
        }

        return errors;
    }

    /// <summary>Creates or replaces a hook's settings after <see cref="Validate"/>; the token is kept.</summary>
    public Task<(InboundHookRow Row, bool Created)> SaveAsync(AppDefinition app, string key, InboundHookSettings settings, CancellationToken ct) =>
        store.UpsertAsync(app.Key, key, app.FindEntity(settings.Entity!)!.Key, settings.MatchField, settings.Mapping?.DeepClone().AsObject() ?? [], settings.Enabled ?? true, time.GetUtcNow(), ct);

    /// <summary>Issues a fresh token (the previous one stops working); null when there is no such hook.</summary>
    public async Task<string?> RotateTokenAsync(string app, string key, CancellationToken ct)
    {
        var token = HookTokens.NewToken();
        return await store.SetTokenHashAsync(app, key, HookTokens.Hash(token), time.GetUtcNow(), ct) ? token : null;
    }

    /// <summary>Finds the hook and checks the token: the hook, or the 404 / 401 / 403 to answer.</summary>
    public async Task<(InboundHookRow? Hook, HookDeliveryResult? Failure)> AuthorizeAsync(string app, string key, string? token, CancellationToken ct)
    {
        var hook = await store.GetAsync(app, key, ct);
        if (hook is null)
        {
            return (null, HookDeliveryResult.Problem(StatusCodes.Status404NotFound, "Not found / 未找到", $"No hook '{key}' in app '{app}'."));
        }

        if (!HookTokens.Matches(hook.TokenHash, token))
        {
            return (null, HookDeliveryResult.Problem(StatusCodes.Status401Unauthorized, "Unauthorized / 令牌无效", "Send the hook's token as Authorization: Bearer <token> or X-Hook-Token."));
        }

        return hook.Enabled
            ? (hook, null)
            : (null, HookDeliveryResult.Problem(StatusCodes.Status403Forbidden, "Forbidden / 已停用", $"Hook '{key}' is disabled."));
    }

    /// <summary>Writes one authorized delivery, once per idempotency key.</summary>
    public async Task<HookDeliveryResult> DeliverAsync(InboundHookRow hook, string? idempotencyKey, JsonObject body, CancellationToken ct)
    {
        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength })
        {
            return HookDeliveryResult.Problem(StatusCodes.Status400BadRequest, "Bad request / 请求格式错误", $"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters.");
        }

        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return await WriteAsync(hook, body, ct);
        }

        var now = time.GetUtcNow();
        var earlier = await store.ClaimAsync(hook.AppKey, hook.Key, idempotencyKey, now, now - IdempotencyWindow, ct);
        if (earlier is not null)
        {
            return earlier is { StatusCode: > 0, Response: { } response }
                ? new HookDeliveryResult(earlier.StatusCode, response, Replayed: true)
                : HookDeliveryResult.Problem(StatusCodes.Status409Conflict, "Conflict / 正在处理", "A delivery with this Idempotency-Key is still being processed; retry later.");
        }

        HookDeliveryResult result;
        try
        {
            result = await WriteAsync(hook, body, ct);
        }
        catch
        {
            await store.ReleaseAsync(hook.AppKey, hook.Key, idempotencyKey, CancellationToken.None);
            throw;
        }

        await store.CompleteAsync(hook.AppKey, hook.Key, idempotencyKey, result.StatusCode, result.Body, CancellationToken.None);
        return result;
    }

    private async Task<HookDeliveryResult> WriteAsync(InboundHookRow hook, JsonObject body, CancellationToken ct)
    {
        var app = await catalog.GetAsync(hook.AppKey, ct);
        var entity = app?.FindEntity(hook.EntityKey);
        if (app is null || entity is null)
        {
            return HookDeliveryResult.Problem(StatusCodes.Status404NotFound, "Not found / 未找到", $"The hook's entity '{hook.EntityKey}' is no longer in app '{hook.AppKey}'.");
        }

        var data = Extract(hook, body);
        if (data is null)
        {
            return Invalid(new Dictionary<string, IReadOnlyList<string>> { ["data"] = ["请求体应为 { data: {...} } / the body must be { \"data\": { fieldKey: value } }"] });
        }

        var by = UserOf(hook.Key);
        var existing = await FindMatchAsync(app, entity, hook.MatchField, data, ct);
        // The hook's own rules run in the write's transaction: a delivery either did both or neither.
        RuleEvent Delivered(Guid id, JsonObject record) => new()
        {
            Type = RuleTriggerTypes.Webhook, App = app.Key, Hook = hook.Key, Payload = body, Entity = entity.Key, RecordId = id, Record = record, By = by,
        };

        var result = existing is null
            ? await records.CreateAsync(app, entity, data, by, ct, alsoTriggers: Delivered)
            : await records.UpdateAsync(app, entity, existing.Id, existing.Version, data, by, ct, Delivered);
        if (existing is null && hook.MatchField is { } match && result.Outcome == CommandOutcome.Invalid && result.Errors?.ContainsKey(match) == true
            && await FindMatchAsync(app, entity, match, data, ct) is { } raced)
        {
            // Two deliveries of one new record raced and the other created it (the unique match field refused ours): update it.
            existing = raced;
            result = await records.UpdateAsync(app, entity, raced.Id, raced.Version, data, by, ct, Delivered);
        }

        return result.Outcome switch
        {
            CommandOutcome.Ok => new HookDeliveryResult(
                existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                new JsonObject { ["id"] = result.Value!.Id.ToString(), ["version"] = result.Value.Version, ["created"] = existing is null }),
            CommandOutcome.Invalid => Invalid(result.Errors ?? new Dictionary<string, IReadOnlyList<string>>()),
            CommandOutcome.Conflict => HookDeliveryResult.Problem(StatusCodes.Status409Conflict, "Conflict / 数据已被修改", result.Detail),
            CommandOutcome.Forbidden => HookDeliveryResult.Problem(StatusCodes.Status403Forbidden, "Forbidden / 无权操作", result.Detail),
            _ => HookDeliveryResult.Problem(StatusCodes.Status404NotFound, "Not found / 未找到", result.Detail),
        };
    }

    /// <summary>The record data of a delivery: the mapping applied to the raw payload, or <c>body.data</c> when the hook maps nothing.</summary>
    public static JsonObject? Extract(InboundHookRow hook, JsonObject body)
    {
        if (hook.Mapping.Count == 0)
        {
            return body["data"] is JsonObject data ? data.DeepClone().AsObject() : null;
        }

        var mapped = new JsonObject();
        foreach (var (field, path) in hook.Mapping)
        {
            if (PayloadPath.TryParse(path?.ToString(), out _) is not { } parsed)
            {
                continue;
            }

            var value = parsed.Evaluate(body, out var found);
            if (found)
            {
                mapped[field] = value;
            }
        }

        return mapped;
    }

    private async Task<StoredRecord?> FindMatchAsync(AppDefinition app, EntityDefinition entity, string? matchField, JsonObject data, CancellationToken ct)
    {
        if (matchField is null || FieldValues.AsText(data[matchField])?.Trim() is not { Length: > 0 } value)
        {
            return null;
        }

        var found = await recordStore.FindByFieldsAsync(app.Key, [(entity.Key, matchField, value)], ct);
        return found[0];
    }

    private static HookDeliveryResult Invalid(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        HookDeliveryResult.Problem(StatusCodes.Status422UnprocessableEntity, "One or more fields are invalid / 数据校验失败", errors: errors);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex KeyPattern();
}
