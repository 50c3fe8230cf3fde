using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Api;

internal static class ApiAssert
{
    /// <summary>Asserts a 422 problem+json and returns the field paths it names.</summary>
    public static async Task<string[]> InvalidFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["errors"]!.AsObject().Select(e => e.Key).Order().ToArray();
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
