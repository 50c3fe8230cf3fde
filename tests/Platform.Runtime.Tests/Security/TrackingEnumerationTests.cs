using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Security;

/// <summary>Guessing tracking numbers and phones: a wrong phone and an unknown number look alike, and the per-address limit stops a sweep.</summary>
[Collection("security")]
public sealed class TrackingEnumerationTests(SecurityFixture security)
{
    private const string Phone = "13912345678";

    [Fact]
    public async Task Track_AnswersWrongPhoneAndUnknownNumberIdentically()
    {
        var trackingNo = await SubmitRepairAsync();
        using var client = security.Client();
        var found = await client.GetAsync($"/api/public/track/{trackingNo}?phone={Phone}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);

        var unknownNumber = trackingNo[..^4] + (trackingNo[^4..] == "9999" ? "9998" : "9999");
        var answers = new[]
        {
            await DescribeAsync(await client.GetAsync($"/api/public/track/{trackingNo}?phone=13900000000")),
            await DescribeAsync(await client.GetAsync($"/api/public/track/{unknownNumber}?phone={Phone}")),
            await DescribeAsync(await client.PostAsJsonAsync("/api/public/track", new { trackingNo, phone = "13900000000" })),
            await DescribeAsync(await client.PostAsJsonAsync("/api/public/track", new { trackingNo = unknownNumber, phone = Phone })),
        };
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.StartsWith("404 application/problem+json", answers[0], StringComparison.Ordinal);

        var posted = await client.PostAsJsonAsync("/api/public/track", new { trackingNo, phone = Phone });
        Assert.Equal(trackingNo, (await posted.Content.ReadFromJsonAsync<JsonObject>())!["trackingNo"]!.GetValue<string>());
    }

    [Fact]
    public async Task Track_Returns429_WhenOneAddressSweepsNumbers()
    {
        var trackingNo = await SubmitRepairAsync();
        using var client = security.Client();
        var answers = new List<HttpStatusCode>();
        for (var guess = 0; guess < SecurityNodeFactory.TrackPerMinute + 2; guess++)
        {
            var number = trackingNo[..^4] + guess.ToString("D4");
            answers.Add(guess % 2 == 0
                ? (await client.GetAsync($"/api/public/track/{number}?phone={Phone}")).StatusCode
                : (await client.PostAsJsonAsync("/api/public/track", new { trackingNo = number, phone = Phone })).StatusCode);
        }

        Assert.All(answers[..SecurityNodeFactory.TrackPerMinute], a => Assert.NotEqual(HttpStatusCode.TooManyRequests, a));
        Assert.All(answers[SecurityNodeFactory.TrackPerMinute..], a => Assert.Equal(HttpStatusCode.TooManyRequests, a));

        // Even the right number and phone wait now; the limit does not tell hits from misses.
        var limited = await client.GetAsync($"/api/public/track/{trackingNo}?phone={Phone}");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        body!.Remove("traceId");
        var headers = string.Join(";", response.Headers.Where(h => h.Key is not "Date").OrderBy(h => h.Key).Select(h => $"{h.Key}={string.Join(",", h.Value)}"));
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body.ToJsonString()} {headers}";
    }

    private async Task<string> SubmitRepairAsync()
    {
        using var admin = await security.AdminAsync();
        var token = (await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))!
            .Single(f => f!["form"]!.GetValue<string>() == "repair_form")!["token"]!.GetValue<string>();
        using var anonymous = security.Client();
        var response = await anonymous.PostAsJsonAsync($"/api/public/forms/{token}", new
        {
            data = new { type = "repair", customer_name = "张三", phone = Phone, description = "冰箱不制冷", region = "east", address = "上海市浦东新区" },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["trackingNo"]!.GetValue<string>();
    }
}
