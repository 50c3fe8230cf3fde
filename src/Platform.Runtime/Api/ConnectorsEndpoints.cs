using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Integrations;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>An app's connectors (outbound HTTP endpoints and group robots); administrators only, secrets write-only.</summary>
public static class ConnectorsEndpoints
{
    public static RouteGroupBuilder MapConnectorsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/apps/{app}/connectors").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Connectors");
        group.MapGet("/", ListAsync).WithName("ListConnectors");
        group.MapGet("/{key}", GetAsync).WithName("GetConnector");
        group.MapPut("/{key}", PutAsync).WithName("PutConnector");
        group.MapDelete("/{key}", DeleteAsync).WithName("DeleteConnector");
        return group;
    }

    private static async Task<IResult> ListAsync(string app, [FromServices] ConnectorStore store, [FromServices] AppCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(app, ct) is not null
            ? TypedResults.Ok((await store.ListAsync(app, ct)).Select(ConnectorDto.From).ToList())
            : Problems.NotFound($"No app '{app}'.");

    private static async Task<IResult> GetAsync(string app, string key, [FromServices] ConnectorStore store, CancellationToken ct) =>
        await store.FindAsync(app, key, withSecret: false, ct) is { } connector
            ? TypedResults.Ok(ConnectorDto.From(connector))
            : Problems.NotFound($"App '{app}' has no connector '{key}'.");

    private static async Task<IResult> PutAsync(string app, string key, HttpContext http, [FromServices] ConnectorStore store, [FromServices] AppCatalog catalog, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is null)
        {
            return Problems.NotFound($"No app '{app}'.");
        }

        if (!ConnectorValidator.IsValidKey(key))
        {
            return Problems.Validation("key", "连接器标识须为小写字母开头的 a-z 0-9 _ -，最长 64 / lower-case letters, digits, _ and -, starting with a letter");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var (change, errors) = ConnectorValidator.Validate(body!, await store.HasSecretAsync(app, key, ct));
        if (change is null)
        {
            return Problems.Validation(errors, "The connector is invalid / 连接器配置有误");
        }

        var (saved, created) = await store.SaveAsync(app, key, change, RecordsEndpoints.UserName(http.User), ct);
        var dto = ConnectorDto.From(saved);
        return created ? TypedResults.Created($"/api/apps/{app}/connectors/{key}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<IResult> DeleteAsync(string app, string key, [FromServices] ConnectorStore store, CancellationToken ct) =>
        await store.DeleteAsync(app, key, ct) ? TypedResults.NoContent() : Problems.NotFound($"App '{app}' has no connector '{key}'.");
}
