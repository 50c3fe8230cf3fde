using Dapper;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// The list page (top-N ids, whole rows for the page only) and its total: counted in the same walk of the matches when a
/// filter or row scope applies, a second statement of the same batch when nothing filters.
/// </summary>
[Collection("postgres")]
public sealed class RecordListTotalsTests(PostgresFixture postgres)
{
    private static readonly EntityDefinition Ticket = new()
    {
        Key = "ticket",
        Label = "工单",
        Fields = [new FieldDefinition { Key = "region", Type = "select" }, new FieldDefinition { Key = "amount", Type = "money" }],
    };

    [Fact]
    public async Task Pages_AreTheSortedMatches_AndEveryPageCarriesTheTotal_AlsoPastTheEnd_AndUnderARowScope()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // 45 east tickets with repeated amounts (ties fall back to the id), some without one, 10 west, 5 of another entity.
            await connection.ExecuteAsync("""
                insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
                select gen_random_uuid(), 'list_app', case when i > 55 then 'other' else 'ticket' end,
                       case when i % 9 = 0 then jsonb_build_object('region', case when i <= 45 then 'east' else 'west' end)
                            else jsonb_build_object('region', case when i <= 45 then 'east' else 'west' end, 'amount', i % 7) end,
                       1, 1, now() - i * interval '1 minute', case when i % 2 = 0 then 'li' else 'wang' end, now(), 'x'
                from generate_series(1, 60) i
                """);
        }

        var store = new RecordStore(dataSource);
        var seen = new List<Guid>();
        for (var page = 1; page <= 4; page++)
        {
            var (query, errors) = RecordQueryCompiler.Compile("list_app", Ticket, ["region:eq:east"], "-amount", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "20");
            Assert.Empty(errors);
            var result = await store.ListAsync(query!, CancellationToken.None);
            Assert.Equal(45, result.Total);
            Assert.Equal(page switch { 1 or 2 => 20, 3 => 5, _ => 0 }, result.Items.Count);
            seen.AddRange(result.Items.Select(r => r.Id));
        }

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var expected = (await connection.QueryAsync<Guid>(
                "select id from records where app_key = 'list_app' and entity_key = 'ticket' and data->>'region' = 'east' order by (data->>'amount')::numeric desc nulls last, id desc")).ToList();
            Assert.Equal(expected, seen);
        }

        // A row scope added as the permit adds it (over the records table, values as parameters).
        var (scoped, _) = RecordQueryCompiler.Compile("list_app", Ticket, ["region:eq:east"], null, "2", "10");
        var parameters = scoped!.Parameters.ToList();
        parameters.Add(new NpgsqlParameter { Value = "li" });
        var restricted = scoped with { Where = $"{scoped.Where} and records.created_by = ${parameters.Count}", Parameters = parameters };
        var mine = await store.ListAsync(restricted, CancellationToken.None);
        Assert.Equal(22, mine.Total);
        Assert.Equal(10, mine.Items.Count);
        Assert.All(mine.Items, r => Assert.Equal("li", r.CreatedBy));
        Assert.True(mine.Items.Zip(mine.Items.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));
    }

    [Fact]
    public async Task Pages_CarryTheTotal_WhenNothingFilters_AndWhenNothingMatches()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
                select gen_random_uuid(), 'list_app', 'ticket', jsonb_build_object('region', 'east', 'amount', i), 1, 1, now() - i * interval '1 minute', 'li', now(), 'x'
                from generate_series(1, 25) i
                """);
        }

        var store = new RecordStore(dataSource);
        foreach (var (filters, page, count, total) in new (string[], int, int, long)[]
        {
            ([], 1, 20, 25), ([], 2, 5, 25), ([], 3, 0, 25),
            (["region:eq:west"], 1, 0, 0), (["region:eq:west"], 2, 0, 0), (["amount:gt:20"], 1, 5, 5), (["amount:gt:20"], 2, 0, 5),
        })
        {
            var (query, errors) = RecordQueryCompiler.Compile("list_app", Ticket, filters, "amount", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "20");
            Assert.Empty(errors);
            var result = await store.ListAsync(query!, CancellationToken.None);
            Assert.Equal((count, total), (result.Items.Count, result.Total));
            Assert.True(result.Items.Zip(result.Items.Skip(1)).All(p => p.First.Data["amount"]!.GetValue<decimal>() < p.Second.Data["amount"]!.GetValue<decimal>()));
        }
    }
}
