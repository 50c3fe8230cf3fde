using Npgsql;
using Platform.Designer.Services;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Ui;

/// <summary>Feeds the home page: installed apps with their entities and record counts.</summary>
public sealed class AppDirectory(AppCatalog catalog, NpgsqlDataSource dataSource) : IAppDirectory
{
    public async Task<IReadOnlyList<AppCard>> ListAppsAsync(CancellationToken ct)
    {
        var counts = new Dictionary<(string, string), long>();
        await using (var cmd = dataSource.CreateCommand("select app_key, entity_key, count(*) from records group by 1, 2"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                counts[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        var cards = new List<AppCard>();
        foreach (var summary in await catalog.ListAsync(ct))
        {
            var app = await catalog.GetAsync(summary.Key, ct);
            if (app is null)
            {
                continue;
            }

            cards.Add(new AppCard(
                app.Key, app.Name, app.NameEn, app.Description, app.Version,
                app.Entities.Select(e => new EntityCard(e.Key, e.Label, counts.GetValueOrDefault((app.Key, e.Key)))).ToList())
            {
                Dashboards = app.Dashboards.Select(d => new DashboardCard(d.Key, d.Name, d.Widgets.Count)).ToList(),
            });
        }

        return cards;
    }
}
