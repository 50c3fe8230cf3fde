using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>A running platform (fresh database, after-sales template, demo users) shared by the "platform" collection.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string> tokens = [];

    private PostgresCluster cluster = null!;

    public PlatformApiFactory Factory { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public Uri ServerAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        cluster = await TestDatabase.StartClusterAsync();
        ConnectionString = await TestDatabase.CreateAsync(cluster);
        Factory = new PlatformApiFactory(ConnectionString);
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ServerAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        await Factory.Services.GetRequiredService<Readiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(90));
    }

    public HttpClient Anonymous() => new() { BaseAddress = ServerAddress };

    /// <summary>A client signed in as <paramref name="userName"/> (a demo user unless <paramref name="password"/> is given); tokens are reused per user.</summary>
    public async Task<HttpClient> ClientForAsync(string userName, string? password = null)
    {
        if (!tokens.TryGetValue(userName, out var token))
        {
            using var anonymous = Anonymous();
            password ??= userName == "admin" ? PlatformApiFactory.AdminPassword : DemoUser.Password;
            var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password });
            response.EnsureSuccessStatusCode();
            token = tokens[userName] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }

        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
