using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port (127.0.0.1, and ::1 when asked) that records every request it
/// receives and answers through a handler (default: 200 <c>{"errcode":0}</c>).
/// </summary>
internal sealed class TestHttpListener : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestHttpListener(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Func<HttpContext, ReceivedRequest, Task>? Handler { get; set; }

    public string Url(string path = "/") => $"http://127.0.0.1:{Port}{path}";

    public static async Task<TestHttpListener> StartAsync(bool ipv6 = false)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            if (ipv6)
            {
                k.Listen(IPAddress.IPv6Loopback, port);
            }
        });
        var app = builder.Build();
        var listener = new TestHttpListener(app, port);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var received = new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                buffer.ToArray());
            listener.Requests.Enqueue(received);
            if (listener.Handler is { } handler)
            {
                await handler(context, received);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errcode\":0,\"code\":0}");
        });
        await app.StartAsync();
        return listener;
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
