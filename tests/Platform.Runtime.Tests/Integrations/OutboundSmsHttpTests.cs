using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Hosting;
using Platform.Runtime.Integrations;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>The HTTP SMS provider posts { to, text, template } with the idempotency key, through the same outbound guard.</summary>
[Collection("platform")]
public sealed class OutboundSmsHttpTests(PlatformFixture platform)
{
    [Fact]
    public async Task HttpSmsSender_PostsJsonWithIdempotencyKeyAndToken_WhenGatewayIsAllowlisted()
    {
        await using var gateway = await TestHttpListener.StartAsync();
        using (var admin = await platform.ClientForAsync("admin"))
        {
            (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { $"127.0.0.1:{gateway.Port}" } })).EnsureSuccessStatusCode();
        }

        var sender = Sender(gateway.Url("/sms/send"));
        var delivery = await sender.SendAsync(new SmsMessage("13900001111", "验证码 123456", "SMS_42", "after_sales"), "sms:key:1", CancellationToken.None);

        Assert.Equal(200, delivery.StatusCode);
        var request = Assert.Single(gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("sms:key:1", request.Header("Idempotency-Key"));
        Assert.Equal("Bearer gw-token", request.Header("Authorization"));
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal("13900001111", body["to"]!.GetValue<string>());
        Assert.Equal("验证码 123456", body["text"]!.GetValue<string>());
        Assert.Equal("SMS_42", body["template"]!.GetValue<string>());
    }

    [Fact]
    public async Task HttpSmsSender_IsRefused_WhenGatewayIsLoopbackAndNotAllowlisted()
    {
        await using var gateway = await TestHttpListener.StartAsync();
        using (var admin = await platform.ClientForAsync("admin"))
        {
            (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = Array.Empty<string>() })).EnsureSuccessStatusCode();
        }

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            Sender(gateway.Url("/sms/send")).SendAsync(new SmsMessage("13900001111", "x", null, null), "sms:key:2", CancellationToken.None));

        Assert.Equal("refused: 127.0.0.1 is a loopback address", refused.Message);
        Assert.Empty(gateway.Requests);
    }

    private HttpSmsSender Sender(string url) => new(
        platform.Factory.Services.GetRequiredService<OutboundHttpGuard>(),
        new PlatformSettings { Sms = new SmsSettings { Provider = "http", Url = url, Token = "gw-token" } });
}
