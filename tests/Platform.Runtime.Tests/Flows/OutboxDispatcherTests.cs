using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Runtime.Execution;
using Platform.Runtime.Hosting;
using Platform.Runtime.Integrations;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Flows;

/// <summary>The outbox sends e-mail through a real SMTP conversation (a local listener) once, and backs off when the server is down.</summary>
[Collection("platform")]
public sealed class OutboxDispatcherTests(PlatformFixture platform)
{
    [Fact]
    public async Task Dispatch_SendsEmailOnceWithIdempotencyKey_AndRetriesLater_WhenServerDown()
    {
        using var smtp = new FakeSmtpServer();
        var key = "test:" + Guid.NewGuid().ToString("N");
        await InsertAsync(key, "cs01@example.com");
        var dispatcher = Dispatcher(smtp.Port);
        Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) >= 1);
        var message = Assert.Single(smtp.Messages, m => m.Contains(key.Replace(':', '.'), StringComparison.Ordinal));
        Assert.Contains("RCPT TO:<cs01@example.com>", message, StringComparison.Ordinal);
        Assert.Equal(1, await platform.CountAsync("select count(*) from outbox where idempotency_key = $1 and status = 'sent'", key));
        await dispatcher.DispatchAsync(CancellationToken.None);
        Assert.Single(smtp.Messages, m => m.Contains(key.Replace(':', '.'), StringComparison.Ordinal));

        var down = "test:" + Guid.NewGuid().ToString("N");
        await InsertAsync(down, "fin01@example.com");
        await Dispatcher(FreePort()).DispatchAsync(CancellationToken.None);
        Assert.Equal(1, await platform.CountAsync("select count(*) from outbox where idempotency_key = $1 and status = 'pending' and attempts = 1 and next_attempt_at > now()", down));
    }

    private OutboxDispatcher Dispatcher(int port)
    {
        var settings = new PlatformSettings { Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, From = "service@example.com" } };
        return new(
            platform.Factory.Services.GetRequiredService<NpgsqlDataSource>(),
            [new EmailChannel(settings)],
            platform.Factory.Services.GetRequiredService<ConnectorStore>(),
            platform.Factory.Services.GetRequiredService<Readiness>(),
            settings,
            TimeProvider.System,
            NullLogger<OutboxDispatcher>.Instance);
    }

    private async Task InsertAsync(string key, string to)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "insert into outbox (id, kind, idempotency_key, payload, next_attempt_at, created_at) values (gen_random_uuid(), 'email', $1, jsonb_build_object('to', $2::text, 'subject', '待办：客服初审', 'body', '请处理'), now() - interval '1 second', now())",
            connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        await cmd.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Just enough SMTP for MailKit: EHLO, MAIL, RCPT, DATA, QUIT; keeps each conversation's transcript.</summary>
    private sealed class FakeSmtpServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();

        public FakeSmtpServer()
        {
            listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public List<string> Messages { get; } = [];

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            var transcript = new StringBuilder();
            await writer.WriteLineAsync("220 localhost ESMTP");
            var inData = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                transcript.AppendLine(line);
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        await writer.WriteLineAsync("250 OK queued");
                    }

                    continue;
                }

                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250-localhost\r\n250 8BITMIME");
                        break;
                    case "DATA":
                        inData = true;
                        await writer.WriteLineAsync("354 go ahead");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        lock (Messages)
                        {
                            Messages.Add(transcript.ToString());
                        }

                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
    }
}
