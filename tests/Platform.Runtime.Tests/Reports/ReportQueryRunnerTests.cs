using Npgsql;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>The runner of report queries: JIT off for the query alone, parameters by name, rows by column name.</summary>
[Collection("postgres")]
public sealed class ReportQueryRunnerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task QueryAsync_RunsTheQueryWithJitOff_AndLeavesTheConnectionsSettingAsItWas()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var on = new NpgsqlCommand("set jit = on", connection))
        {
            await on.ExecuteNonQueryAsync();
        }

        var rows = await ReportService.QueryAsync(
            connection, "select current_setting('jit') as jit, @p0::int + 1 as n, @p1 as t, @p2::text as none from generate_series(1, 2)",
            new Dictionary<string, object?> { ["p0"] = 41, ["p1"] = "东", ["p2"] = null }, CancellationToken.None);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(["jit", "n", "t", "none"], r.Keys));
        Assert.All(rows, r => Assert.Equal(("off", 42, "东", (object?)null), ((string)r["jit"]!, (int)r["n"]!, (string)r["t"]!, r["none"])));
        await using var after = new NpgsqlCommand("select current_setting('jit')", connection);
        Assert.Equal("on", await after.ExecuteScalarAsync());
    }
}
