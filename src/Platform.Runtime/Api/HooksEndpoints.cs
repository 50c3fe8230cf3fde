using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Hooks;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Inbound webhooks: administrators manage <c>/api/apps/{app}/hooks</c>; external systems post to the public,
/// token-authenticated, rate-limited <c>POST /api/public/hooks/{app}/{key}</c>.
/// </summary>
public static class HooksEndpoints
{
    /// <summary>The rate-limiter policy of the public delivery endpoint (partitioned per hook).</summary>
    public const string RateLimitPolicy = "inbound-hooks";

    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/apps/{app}/hooks").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Hooks");
        admin.MapGet("/", ListAsync).WithName("ListHooks");
        admin.MapGet("/{key}", GetAsync).WithName("GetHook");
        admin.MapPut("/{key}", PutAsync).WithName("PutHook");
        admin.MapPost("/{key}/token", TokenAsync).WithName("RotateHookToken");
        admin.MapDelete("/{key}", DeleteAsync).WithName("DeleteHook");

        routes.MapPost("/api/public/hooks/{app}/{key}", DeliverAsync).AllowAnonymous().RequireRateLimiting(RateLimitPolicy)
            .WithTags("Public").WithName("DeliverHook");
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] InboundHookStore store, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is null)
        {
            return Problems.NotFound($"No app '{app}'.");
        }

        var hooks = await store.ListAsync(app, ct);
        return TypedResults.Ok(hooks.Select(h => HookDto.From(h, Url(http, app, h.Key))).ToList());
    }

    private static async Task<IResult> GetAsync(string app, string key, HttpContext http, [FromServices] InboundHookStore store, CancellationToken ct)
    {
        var hook = await store.GetAsync(app, key, ct);
        return hook is null ? Problems.NotFound($"No hook '{key}' in app '{app}'.") : TypedResults.Ok(HookDto.From(hook, Url(http, app, key)));
    }

    private static async Task<IResult> PutAsync(
        string app, string key, HttpContext http, [FromServices] AppCatalog catalog, [FromServices] InboundHookService hooks, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(app, ct);
        if (definition is null)
        {
            return Problems.NotFound($"No app '{app}'.");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (settings, errors) = ReadSettings(body!);
        foreach (var (field, messages) in hooks.Validate(definition, key, settings))
        {
            errors.TryAdd(field, messages);
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (row, created) = await hooks.SaveAsync(definition, key, settings, ct);
        var dto = HookDto.From(row, Url(http, app, key));
        return created ? TypedResults.Created($"/api/apps/{app}/hooks/{key}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<IResult> TokenAsync(string app, string key, HttpContext http, [FromServices] InboundHookService hooks, CancellationToken ct)
    {
        var token = await hooks.RotateTokenAsync(app, key, ct);
        if (token is null)
        {
            return Problems.NotFound($"No hook '{key}' in app '{app}'.");
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new HookTokenDto(token, Url(http, app, key)));
    }

    private static async Task<IResult> DeleteAsync(string app, string key, [FromServices] InboundHookStore store, CancellationToken ct) =>
        await store.DeleteAsync(app, key, ct) ? TypedResults.NoContent() : Problems.NotFound($"No hook '{key}' in app '{app}'.");

    private static async Task<IResult> DeliverAsync(string app, string key, HttpContext http, [FromServices] InboundHookService hooks, CancellationToken ct)
    {
        var (hook, failure) = await hooks.AuthorizeAsync(app, key, HookTokens.FromRequest(http.Request), ct);
        if (failure is not null)
        {
            return Answer(http, failure);
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString().Trim();
        return Answer(http, await hooks.DeliverAsync(hook!, idempotencyKey.Length == 0 ? null : idempotencyKey, body!, ct));
    }

    private static IResult Answer(HttpContext http, HookDeliveryResult result)
    {
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (result.StatusCode == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return TypedResults.Json(result.Body, statusCode: result.StatusCode, contentType: result.IsProblem ? "application/problem+json" : "application/json");
    }

    /// <summary>Reads the PUT body by hand so that a value of the wrong type is a 422 naming the property, not a 400.</summary>
    private static (InboundHookSettings Settings, Dictionary<string, IReadOnlyList<string>> Errors) ReadSettings(JsonObject body)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        string? Text(string name)
        {
            var node = body[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var s = v.GetValue<string>().Trim();
                return s.Length == 0 ? null : s;
            }

            errors[name] = ["须为字符串 / must be a string"];
            return null;
        }

        var entity = Text("entity");
        var matchField = Text("matchField");
        JsonObject? mapping = null;
        if (body["mapping"] is JsonObject m)
        {
            mapping = m;
        }
        else if (body["mapping"] is not null)
        {
            errors["mapping"] = ["须为对象 { 字段: 路径 } / must be an object { fieldKey: path }"];
        }

        bool? enabled = null;
        if (body["enabled"] is JsonValue e && e.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            enabled = e.GetValue<bool>();
        }
        else if (body["enabled"] is not null)
        {
            errors["enabled"] = ["须为 true 或 false / must be true or false"];
        }

        return (new InboundHookSettings(entity, matchField, mapping, enabled), errors);
    }

    private static string Url(HttpContext http, string app, string key) =>
        $"{http.Request.Scheme}://{http.Request.Host}/api/public/hooks/{Uri.EscapeDataString(app)}/{Uri.EscapeDataString(key)}";
}
