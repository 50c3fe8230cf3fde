using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Api;

/// <summary>Reads request bodies as JSON with a depth limit; malformed JSON is a clear 400, never a 500.</summary>
public static class JsonBody
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Reads a definition published under <paramref name="key"/>: malformed JSON or a bad property is a problem naming its
    /// path, and a key that differs from the address is a 422 on <c>key</c>.
    /// </summary>
    public static async Task<(T? Definition, IResult? Problem)> ReadDefinitionAsync<T>(HttpRequest request, string key, Func<T, string> keyOf, string what, CancellationToken ct)
        where T : class
    {
        var (body, problem) = await ReadObjectAsync(request, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        T? definition;
        try
        {
            definition = body!.Deserialize<T>(Platform.Core.Metadata.MetadataJson.Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, Problems.Validation(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", e.Message));
        }

        return keyOf(definition!) == key
            ? (definition, null)
            : (null, Problems.Validation("key", $"{what}标识 '{keyOf(definition!)}' 与地址中的 '{key}' 不一致"));
    }

    /// <summary>
    /// Parses the body as a JSON object, or returns the problem to answer with: malformed or nested deeper than
    /// <see cref="MaxDepth"/> is 400, over the request size limit 413.
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: Options, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, Malformed(e));
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(
                title: e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large / 请求体过大" : "Bad request / 请求无效",
                detail: e.Message,
                statusCode: e.StatusCode));
        }

        return node is JsonObject obj ? (obj, null) : (null, Problems.BadRequest("The body must be a JSON object."));
    }

    /// <summary>The 400 of a body that does not parse, saying so plainly when it is only too deep.</summary>
    public static IResult Malformed(JsonException e) =>
        e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Problem(
                title: "JSON nested too deeply / JSON 嵌套过深",
                detail: $"JSON may be nested at most {MaxDepth} levels deep / 最多 {MaxDepth} 层: {e.Message}",
                statusCode: StatusCodes.Status400BadRequest)
            : Problems.BadRequest($"Malformed JSON: {e.Message}");

    /// <summary>Reads <c>{ "data": { … } }</c>.</summary>
    public static async Task<(JsonObject? Data, IResult? Problem)> ReadDataAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, problem) = await ReadObjectAsync(request, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (body!["data"] is not JsonObject data)
        {
            return (null, Problems.Validation("data", "The body must be { \"data\": { fieldKey: value } } / 请求体应为 { data: {...} }"));
        }

        body.Remove("data");
        return (data, null);
    }
}
