using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Hooks;

/// <summary>
/// The answer to one inbound delivery: status and JSON body (<c>{ id, version, created }</c> or a problem), and
/// whether it is the stored answer to an earlier delivery with the same idempotency key.
/// </summary>
public sealed record HookDeliveryResult(int StatusCode, JsonObject Body, bool Replayed = false)
{
    public bool IsProblem => StatusCode >= 400;

    public static HookDeliveryResult Problem(int status, string title, string? detail = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null)
    {
        var body = new JsonObject { ["title"] = title, ["status"] = status };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        if (errors is not null)
        {
            body["type"] = "https://tools.ietf.org/html/rfc4918#section-11.2";
            var fields = new JsonObject();
            foreach (var (field, messages) in errors)
            {
                fields[field] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
            }

            body["errors"] = fields;
        }

        return new HookDeliveryResult(status, body);
    }
}
