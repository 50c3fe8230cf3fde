using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Integrations;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>Platform administration: the outbound allow-list (hosts outbound requests may reach although private).</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Admin");
        group.MapGet("/outbound-allowlist", GetAllowlistAsync).WithName("GetOutboundAllowlist");
        group.MapPut("/outbound-allowlist", PutAllowlistAsync).WithName("PutOutboundAllowlist");
        return group;
    }

    private static async Task<IResult> GetAllowlistAsync([FromServices] OutboundAllowlist allowlist, CancellationToken ct) =>
        TypedResults.Ok(new AllowlistDto((await allowlist.ListAsync(ct)).Select(e => e.ToString()).ToList()));

    /// <summary>Body <c>{ "hosts": ["api.example.com", "10.0.0.5:8443", "[fd00::5]:80"] }</c> (or the bare array) replaces the list.</summary>
    private static async Task<IResult> PutAllowlistAsync(HttpContext http, [FromServices] OutboundAllowlist allowlist, CancellationToken ct)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(http.Request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth }, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return JsonBody.Malformed(e);
        }

        var (hosts, field) = node switch
        {
            JsonArray array => (array, "hosts"),
            JsonObject { } obj when obj["hosts"] is JsonArray array => (array, "hosts"),
            _ => ((JsonArray?)null, "hosts"),
        };
        if (hosts is null)
        {
            return Problems.Validation(field, "请求体应为 { hosts: [\"host\", \"host:port\"] } / expected { hosts: [...] }");
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var entries = new List<AllowlistEntry>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var text = hosts[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (AllowlistEntry.TryParse(text, out var entry, out var error))
            {
                entries.Add(entry!);
            }
            else
            {
                errors[$"hosts[{i}]"] = [error!];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "The allow-list is invalid; nothing was changed / 白名单有误，未修改");
        }

        await allowlist.ReplaceAsync(entries, RecordsEndpoints.UserName(http.User), ct);
        return TypedResults.Ok(new AllowlistDto((await allowlist.ListAsync(ct)).Select(e => e.ToString()).ToList()));
    }
}
