using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Platform.Runtime.Hosting;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Hosting;

/// <summary>
/// <c>demo-data</c> run in-process against a fresh database: imports the template, loads the volumes of AFTER-SALES.md,
/// refuses a second load without <c>--replace</c>, and the same seed and moment load the same business data again
/// (that another seed gives other data is <see cref="DemoDataSetTests"/>' business).
/// </summary>
[Collection("postgres")]
public sealed partial class DemoDataCommandTests(PostgresFixture postgres)
{
    private const string AsOf = "2026-06-15T10:30:00+08:00";

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    private static async Task<(int Code, string Output, string Error)> RunAsync(string database, string files, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DemoDataCommand.RunAsync(
            [DemoDataCommand.Verb, .. args, "--ConnectionStrings:Platform", database, "--Platform:FilesDir", files], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A digest of every record's entity, creation moment, creator and data, and every flow history entry, with ids
    /// (random v7 uuids, also inside references) masked: what the demo business looks like, not how its rows are keyed.
    /// </summary>
    private static async Task<string> DigestAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var text = new StringBuilder();
        foreach (var sql in new[]
        {
            "select entity_key || '|' || created_at::text || '|' || created_by || '|' || data::text from records where app_key = 'after_sales' order by 1",
            """
            select i.flow_key || '|' || i.status || '|' || h.seq || '|' || h.step || '|' || h.action || '|' || h.by || '|' || h.at::text
            from flow_history h join flow_instances i on i.id = h.instance_id where i.app_key = 'after_sales' order by 1
            """,
        })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.Append(Uuid().Replace(reader.GetString(0), "#")).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static async Task<Dictionary<string, long>> VolumesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select entity_key, count(*) from records where app_key = 'after_sales' group by 1", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var volumes = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            volumes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return volumes;
    }

    [Fact]
    public async Task DemoData_LoadsTheVolumes_RefusesANonEmptyApp_AndReplacesWithTheSameData_ForTheSameSeed()
    {
        var database = await postgres.CreateDatabaseAsync();
        var files = Directory.CreateTempSubdirectory("platform-demo-cli-").FullName;
        try
        {
            var first = await RunAsync(database, files, "--seed", "20261201", "--as-of", AsOf, "--users");
            Assert.True(first.Code == 0, first.Error + first.Output);
            Assert.Contains("Imported the template", first.Output);
            var volumes = await VolumesAsync(database);
            Assert.Equal(200, volumes["customer"]);
            Assert.Equal(50, volumes["product"]);
            Assert.Equal(2000, volumes["sales_order"]);
            Assert.Equal(300, volumes["return_request"]);
            Assert.Equal(500, volumes["service_request"]);
            Assert.Equal(40, volumes["spare_part"]);
            Assert.InRange(volumes["engineer"], 20, 22);
            Assert.True(volumes["feedback"] > 100, $"{volumes["feedback"]} feedback records");
            var digest = await DigestAsync(database);

            var refused = await RunAsync(database, files, "--seed", "20261201", "--as-of", AsOf);
            Assert.NotEqual(0, refused.Code);
            Assert.Contains("--replace", refused.Error);
            Assert.Equal(digest, await DigestAsync(database));

            var replaced = await RunAsync(database, files, "--seed", "20261201", "--as-of", AsOf, "--replace");
            Assert.True(replaced.Code == 0, replaced.Error + replaced.Output);
            Assert.Equal(volumes, await VolumesAsync(database));
            Assert.Equal(digest, await DigestAsync(database));

        }
        finally
        {
            Directory.Delete(files, true);
        }
    }

    [Theory]
    [InlineData("--seed", "abc")]
    [InlineData("--as-of", "yesterday")]
    [InlineData("--app", "crm")]
    public async Task DemoData_RefusesWithExitCode2_WhenAnArgumentIsBad(string option, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await DemoDataCommand.RunAsync([DemoDataCommand.Verb, option, value], output, error));
        Assert.Contains(value, error.ToString());
    }
}
