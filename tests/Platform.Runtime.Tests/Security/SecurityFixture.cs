using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Hosting;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Two runtime nodes (A and B) on one fresh database, as behind a load balancer. Every test speaks as its own client
/// address (X-Forwarded-For through the trusted 127.0.0.1), so the low per-address limits never get in each other's way.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    private static int lastAddress;

    private PostgresCluster cluster = null!;

    private string? adminToken;

    public SecurityNodeFactory NodeA { get; private set; } = null!;

    public SecurityNodeFactory NodeB { get; private set; } = null!;

    public Uri AddressA { get; private set; } = null!;

    public Uri AddressB { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestDatabase.StartClusterAsync();
        ConnectionString = await TestDatabase.CreateAsync(cluster);
        (NodeA, AddressA) = await StartAsync("node-a");
        (NodeB, AddressB) = await StartAsync("node-b");
    }

    /// <summary>A client address no other test uses (TEST-NET ranges).</summary>
    public static string NewClientAddress()
    {
        var n = Interlocked.Increment(ref lastAddress);
        return $"198.{18 + (n / 65536 % 2)}.{n / 256 % 256}.{n % 256}";
    }

    /// <summary>A client of <paramref name="node"/> (A by default) speaking as <paramref name="clientAddress"/> (a fresh one by default).</summary>
    public HttpClient Client(string? clientAddress = null, Uri? node = null, bool cookies = true)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = cookies, AllowAutoRedirect = false }) { BaseAddress = node ?? AddressA };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress ?? NewClientAddress());
        return client;
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (127.0.0.x, not 1): not a known proxy, so its X-Forwarded-* must be ignored.</summary>
    public HttpClient ClientFromUnknownProxy(string source)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = AddressA };
    }

    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { userName, password });

    /// <summary>Signs in (from a fresh address) and returns the bearer token.</summary>
    public async Task<string> TokenAsync(string userName, string password, Uri? node = null)
    {
        using var client = Client(node: node);
        var response = await LoginAsync(client, userName, password);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public HttpClient Bearer(string token, Uri? node = null)
    {
        var client = Client(node: node, cookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> AdminAsync()
    {
        adminToken ??= await TokenAsync("admin", SecurityNodeFactory.AdminPassword);
        return Bearer(adminToken);
    }

    /// <summary>Creates a user of its own for one test (password demo1234 unless given) and returns its name.</summary>
    public async Task<string> NewUserAsync(string prefix, string password = "demo1234", params string[] roles)
    {
        var userName = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        using var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = userName, password, roles = roles.Length == 0 ? ["customer_service"] : roles });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return userName;
    }

    public async Task<object?> ScalarAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return await cmd.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        await NodeB.DisposeAsync();
        await NodeA.DisposeAsync();
        await cluster.DisposeAsync();
    }

    private async Task<(SecurityNodeFactory, Uri)> StartAsync(string node)
    {
        var factory = new SecurityNodeFactory(ConnectionString, node);
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        await factory.Services.GetRequiredService<Readiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(90));
        return (factory, address);
    }
}
