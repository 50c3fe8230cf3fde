using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Integrations;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>Connector configuration over HTTP: admin only, validated field by field, the secret write-only and encrypted at rest.</summary>
[Collection("platform")]
public sealed class ConnectorsApiTests(PlatformFixture platform)
{
    private const string Base = "/api/apps/after_sales/connectors";

    [Fact]
    public async Task Put_StoresSecretEncrypted_AndGetNeverReturnsIt_WhenConnectorHasSecret()
    {
        var key = "crm_" + Guid.NewGuid().ToString("N")[..8];
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        using var admin = await platform.ClientForAsync("admin");

        var created = await admin.PutAsJsonAsync($"{Base}/{key}", new
        {
            name = "CRM", kind = "http", baseUrl = "https://crm.example.com/api", headers = new Dictionary<string, string> { ["X-Tenant"] = "acme" },
            auth = new { type = "basic", userName = "svc" }, secret, timeoutSeconds = 7, retries = 3,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, createdText, StringComparison.Ordinal);

        var one = await admin.GetAsync($"{Base}/{key}");
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, oneText, StringComparison.Ordinal);
        var dto = JsonNode.Parse(oneText)!.AsObject();
        Assert.True(dto["hasSecret"]!.GetValue<bool>());
        Assert.False(dto.ContainsKey("secret"));
        Assert.False(dto.ContainsKey("secretCipher"));
        Assert.Equal("basic", dto["auth"]!["type"]!.GetValue<string>());
        Assert.Equal("svc", dto["auth"]!["userName"]!.GetValue<string>());
        Assert.Equal(7, dto["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal("acme", dto["headers"]!["X-Tenant"]!.GetValue<string>());
        var list = await admin.GetStringAsync(Base);
        Assert.Contains(key, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);

        // PUT without a secret keeps the stored one.
        var updated = await admin.PutAsJsonAsync($"{Base}/{key}", new { kind = "http", baseUrl = "https://crm.example.com/v2", auth = new { type = "basic", userName = "svc" } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.True((await updated.Content.ReadFromJsonAsync<JsonObject>())!["hasSecret"]!.GetValue<bool>());
        var store = platform.Factory.Services.GetRequiredService<ConnectorStore>();
        var stored = await store.FindAsync("after_sales", key, withSecret: true, CancellationToken.None);
        Assert.Equal(secret, stored!.Secret);
        Assert.Equal("https://crm.example.com/v2", stored.BaseUrl);

        await using var data = NpgsqlDataSource.Create(platform.ConnectionString);
        await using (var raw = data.CreateCommand("select c::text, secret_cipher from connectors c where app_key = 'after_sales' and key = $1"))
        {
            raw.Parameters.Add(new NpgsqlParameter { Value = key });
            await using var reader = await raw.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.DoesNotContain(secret, reader.GetString(0), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(reader.GetString(1)));
        }

        // Not in clear text anywhere: every table of the database, every row, as text.
        var tables = new List<string>();
        await using (var list2 = data.CreateCommand("select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'"))
        await using (var reader = await list2.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("public.connectors", tables);
        foreach (var table in tables)
        {
            await using var scan = data.CreateCommand($"select count(*) from {table} t where strpos(t::text, $1) > 0");
            scan.Parameters.Add(new NpgsqlParameter { Value = secret });
            Assert.True(Convert.ToInt64(await scan.ExecuteScalarAsync()) == 0, $"the secret is in clear text in {table}");
        }

        // null removes it.
        var cleared = await admin.PutAsJsonAsync($"{Base}/{key}", new JsonObject { ["kind"] = "http", ["baseUrl"] = "https://crm.example.com/v2", ["secret"] = null });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.False((await cleared.Content.ReadFromJsonAsync<JsonObject>())!["hasSecret"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{Base}/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Base}/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{Base}/{key}")).StatusCode);
    }

    [Fact]
    public async Task ConnectorsApi_Answers403_WhenUserIsNotAdmin_And401_WhenAnonymous()
    {
        using var cs = await platform.ClientForAsync("cs01");
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.GetAsync(Base)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.GetAsync($"{Base}/any")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.PutAsJsonAsync($"{Base}/any", new { kind = "http", baseUrl = "https://x.example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cs.DeleteAsync($"{Base}/any")).StatusCode);

        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Base)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Base}/any")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"{Base}/any", new { kind = "http", baseUrl = "https://x.example.com" })).StatusCode);
    }

    [Theory]
    [InlineData("""{ "kind": "http", "baseUrl": "not a url" }""", "baseUrl")]
    [InlineData("""{ "kind": "http", "baseUrl": "ftp://files.example.com/" }""", "baseUrl")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://u:p@x.example.com/" }""", "baseUrl")]
    [InlineData("""{ "kind": "http" }""", "baseUrl")]
    [InlineData("""{ "kind": "smoke", "baseUrl": "https://x.example.com" }""", "kind")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "timeoutSeconds": 0 }""", "timeoutSeconds")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "timeoutSeconds": 61 }""", "timeoutSeconds")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "retries": 11 }""", "retries")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "auth": { "type": "oauth" } }""", "auth.type")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "auth": { "type": "basic" }, "secret": "x" }""", "auth.userName")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "auth": { "type": "bearer" } }""", "secret")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "headers": { "Authorization": "x" } }""", "headers.Authorization")]
    [InlineData("""{ "kind": "http", "baseUrl": "https://x.example.com", "headers": { "X-A": 1 } }""", "headers.X-A")]
    public async Task Put_Answers422NamingTheField_WhenBodyIsInvalid(string body, string field)
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "bad_" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PutAsync($"{Base}/{key}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors name {string.Join(", ", errors.Select(e => e.Key))}, not {field}");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Base}/{key}")).StatusCode);
    }

    [Fact]
    public async Task Put_Answers422_WhenKeyIsInvalid_And404_WhenAppIsUnknown()
    {
        using var admin = await platform.ClientForAsync("admin");
        var badKey = await admin.PutAsJsonAsync($"{Base}/Bad.Key", new { kind = "http", baseUrl = "https://x.example.com" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badKey.StatusCode);
        Assert.NotNull((await badKey.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["key"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/apps/no_such_app/connectors/k", new { kind = "http", baseUrl = "https://x.example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/apps/no_such_app/connectors")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync($"{Base}/k", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }
}
