using System.Net;
using System.Net.Sockets;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Enumerating tracking numbers on <c>/api/public/track</c>: a wrong phone for a real number, an unknown number and a
/// malformed one answer the very same 404, so a sweep learns nothing; and a sweep is cut off with 429 and Retry-After.
/// Each test talks from its own loopback address (the limit is per client address), so it neither inherits nor leaves
/// a spent budget for the other tests of the fixture.
/// </summary>
[Collection("platform")]
public sealed class TrackingEnumerationAttackTests(PlatformFixture platform)
{
    /// <summary>An anonymous client whose connections come from <paramref name="source"/> (any 127/8 address is local on Linux).</summary>
    private HttpClient From(string source)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = platform.ServerAddress };
    }

    private async Task<(string Number, string Phone)> RealRequestAsync() =>
        ((await Attack.ScalarAsync<string>(platform, "select data->>'request_no' from records where app_key = 'after_sales' and entity_key = 'return_request' and data ? 'request_no' and data ? 'phone' order by id limit 1"))!,
         (await Attack.ScalarAsync<string>(platform, "select data->>'phone' from records where app_key = 'after_sales' and entity_key = 'return_request' and data ? 'request_no' and data ? 'phone' order by id limit 1"))!);

    [Fact]
    public async Task Track_AnswersTheSame404_ForAWrongPhoneAnUnknownNumberAndAMalformedOne()
    {
        using var client = From("127.0.0.41");
        var (number, phone) = await RealRequestAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/public/track/{number}?phone={phone}")).StatusCode);

        var wrongPhone = phone == "13900000000" ? "13900000001" : "13900000000";
        var probes = new[]
        {
            $"/api/public/track/{number}?phone={wrongPhone}",
            $"/api/public/track/{number}",
            $"/api/public/track/{number}?phone=",
            $"/api/public/track/{number[..^4]}9999?phone={phone}",
            $"/api/public/track/RT000000000000?phone={phone}",
            $"/api/public/track/{Uri.EscapeDataString("' or 1=1--")}?phone={Uri.EscapeDataString("' or '1'='1")}",
            $"/api/public/track/{new string('9', 200)}?phone={phone}",
            $"/api/public/track/{number}?phone={phone}%00",
            $"/api/public/track/{number.ToLowerInvariant()}?phone={phone}",
            $"/api/public/track/%20{number}?phone={phone}",
        };
        var answers = new List<(HttpStatusCode, string, string)>();
        foreach (var probe in probes)
        {
            var response = await client.GetAsync(probe);
            var (status, body) = await Attack.RefusalAsync(response);
            answers.Add((status, body, string.Join(",", response.Content.Headers.Select(h => h.Key).Where(k => k != "Content-Length").Order())));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.Item1));
        Assert.Single(answers.Distinct());

        // A NUL in the path is refused by the server before the lookup, alike for every number.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/public/track/{number}%00?phone={phone}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/public/track/RT000000000000%00?phone={phone}")).StatusCode);
    }

    [Fact]
    public async Task Track_SweepOfGuessedNumbers_LearnsNothing_AndIsCutOffWith429AndRetryAfter()
    {
        using var client = From("127.0.0.42");
        var (number, phone) = await RealRequestAsync();
        var prefix = number[..^4];
        var answers = new HashSet<string>();
        HttpResponseMessage? limited = null;
        var allowed = 0;
        for (var guess = 0; guess < 200 && limited is null; guess++)
        {
            var response = await client.GetAsync($"/api/public/track/{prefix}{guess:0000}?phone=13900000000");
            if (response.StatusCode == (HttpStatusCode)429)
            {
                limited = response;
                break;
            }

            allowed++;
            var (status, body) = await Attack.RefusalAsync(response);
            answers.Add($"{(int)status} {body}");
        }

        Assert.NotNull(limited);
        Assert.InRange(allowed, 1, 60);
        Assert.Single(answers);
        Assert.StartsWith("404 ", answers.Single());
        var retryAfter = limited!.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        // Once cut off, even the right number and phone say nothing.
        var right = await client.GetAsync($"/api/public/track/{number}?phone={phone}");
        Assert.Equal((HttpStatusCode)429, right.StatusCode);
        Assert.DoesNotContain(number, await right.Content.ReadAsStringAsync());
    }
}
