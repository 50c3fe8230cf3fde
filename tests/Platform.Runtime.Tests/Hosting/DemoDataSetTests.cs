using Microsoft.Extensions.DependencyInjection;
using Platform.Core.Flows.Calendars;
using Platform.Core.Flows.Runtime;
using Platform.Core.Forms;
using Platform.Runtime.Execution;
using Platform.Runtime.Hosting;
using Platform.Runtime.Hosting.DemoData;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Hosting;

/// <summary>
/// The demo data built in memory (<see cref="DemoDataLoader.Prepare"/>) with the installed template and the
/// runtime's own validator and flow engine: deterministic from its seed, and sound on any day it is loaded.
/// </summary>
[Collection("platform")]
public sealed class DemoDataSetTests(PlatformFixture platform)
{
    /// <summary>A Monday, 10:30 in China.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 6, 15, 2, 30, 0, TimeSpan.Zero);

    private async Task<DemoDataSet> PrepareAsync(int seed, DateTimeOffset now)
    {
        var services = platform.Factory.Services;
        var app = (await services.GetRequiredService<AppCatalog>().GetAsync("after_sales", CancellationToken.None))!;
        return DemoDataLoader.Prepare(app, seed, now, services.GetRequiredService<DemoDataLoader>().Validator, services.GetRequiredService<DemoFlowRunner>(), _ => BusinessCalendar.ChinaDefault);
    }

    /// <summary>Every history entry of every instance, relative to its start, with the record's final status: the shape of the demo's past.</summary>
    private static List<string> Shape(DemoDataSet set)
    {
        var shape = new List<string>();
        foreach (var write in set.Flows.Writes)
        {
            var instance = write.Result.Instance;
            shape.AddRange(write.Result.History.Select(h => $"{instance.Flow}|{instance.StartedBy}|{h.Seq}|{h.Step}|{h.Action}|{h.By}|{(h.At - instance.StartedAt).Ticks}|{h.Comment}"));
        }

        shape.AddRange(set.Records.Where(r => set.Flows.Records.ContainsKey(r.Record.Id)).Select(r => $"{r.Record.Entity}|{set.Flows.Records[r.Record.Id]["status"]}"));
        return shape;
    }

    [Fact]
    public async Task Prepare_PlaysTheSameHistories_WhenTheSeedAndMomentAreTheSame()
    {
        var first = Shape(await PrepareAsync(20261124, Monday));
        var again = Shape(await PrepareAsync(20261124, Monday));
        var other = Shape(await PrepareAsync(7, Monday));

        Assert.True(first.Count > 7_000, $"{first.Count} history entries");
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Prepare_WritesEachCommandAsTheEngineDoes_WhenPlayingTheFlows()
    {
        var set = await PrepareAsync(20261124, Monday);

        // Each instance: inserted by its start, then updated at row versions 1, 2, … by its later commands.
        foreach (var writes in set.Flows.Writes.GroupBy(w => w.Result.Instance.Id))
        {
            Assert.Equal([null, .. Enumerable.Range(1, writes.Count() - 1).Select(v => (int?)v)], writes.Select(w => w.ExpectedRowVersion));
            Assert.Equal(writes.First().Result.Instance.StartedBy, writes.First().By);
            Assert.All(writes, w => Assert.False(w.Email));
            Assert.All(writes.Skip(1), w => Assert.NotNull(w.RecordBefore));
        }

        var fired = set.Flows.Writes.Where(w => w.FiredTimer is not null).ToList();
        Assert.NotEmpty(fired);
        Assert.All(fired, w => Assert.Equal(DemoFlowRunner.Node, w.FiredBy));
        Assert.All(fired, w => Assert.True(w.Now >= w.FiredTimer!.DueAt));
        Assert.Contains(fired, w => w.Result.History.Any(h => h.Action == "escalate"));
        Assert.Contains(fired, w => w.Result.History.Any(h => h.Action == "remind"));
    }

    [Theory]
    [InlineData("2026-06-15T02:30:00Z")] // Monday 10:30 in China
    [InlineData("2026-06-20T15:40:00Z")] // Saturday 23:40
    [InlineData("2026-10-02T06:00:00Z")] // National Day holiday, 14:00
    [InlineData("2027-02-07T20:10:00Z")] // Monday 04:10, past the calendar's known holidays
    public async Task Prepare_KeepsEverythingUpToNow_AndAHandfulOfFlowsOpen_OnAnyDay(string moment)
    {
        var now = DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture);
        var set = await PrepareAsync(20261124, now);
        var created = set.Records.ToDictionary(r => r.Record.Id, r => r.Record.CreatedAt);

        foreach (var write in set.Flows.Writes)
        {
            var instance = write.Result.Instance;
            Assert.InRange(write.Now, created[instance.RecordId], now);
            Assert.All(write.Result.History, h => Assert.InRange(h.At, created[instance.RecordId], now));
            Assert.All(write.Result.OpenedTasks, t => Assert.InRange(t.CreatedAt, created[instance.RecordId], now));
        }

        Assert.All(set.Records, r => Assert.True(r.Record.CreatedAt <= now));
        var running = set.Flows.Instances.Values.Where(i => i.Status == FlowStatuses.Running).ToList();
        Assert.InRange(running.Count, 8, 60);
        Assert.All(set.Flows.Instances.Values.Where(i => i.Status != FlowStatuses.Running), i => Assert.Empty(i.Tasks));
        Assert.All(running, i => Assert.NotEmpty(i.Tasks));

        var cs01 = new FlowActor("cs01", new HashSet<string> { "customer_service" });
        Assert.InRange(running.SelectMany(i => i.Tasks).Count(t => t.IsFor(cs01)), 1, 30);
        Assert.Contains(running.SelectMany(i => i.Tasks), t => t.Role == "warehouse" || t.Assignee?.StartsWith("eng", StringComparison.Ordinal) == true);

        // What depends on the stories follows them: feedback after closing calls, parts during visits, the flow's status on every request.
        var feedback = set.Records.Where(r => r.Record.Entity == "feedback" && r.Data["service_request"] is not null).ToList();
        Assert.All(feedback, f => Assert.Equal("closed", set.Flows.Records[Guid.Parse(f.Data["service_request"]!.GetValue<string>())]["status"]!.GetValue<string>()));
        Assert.All(set.Flows.Records.Values, d => Assert.False(FieldValues.IsEmpty(d["status"])));
    }

    [Fact]
    public async Task Prepare_GivesEveryAddressADistrictOfItsOwnCity_AndTheCustomersRegion()
    {
        var set = await PrepareAsync(20261124, Monday);
        var addresses = set.Records.Where(r => r.Data["address"] is not null).Select(r => (r.Record.Entity, Address: r.Data["address"]!.GetValue<string>(), Region: (string?)r.Data["region"])).ToList();
        Assert.True(addresses.Count > 600, $"{addresses.Count} addresses");
        foreach (var (entity, address, region) in addresses)
        {
            var city = DemoCities.All.SingleOrDefault(c => address.StartsWith($"{c.Province}{c.City}市", StringComparison.Ordinal));
            Assert.True(city is not null, $"{entity}: '{address}' starts with no province and city of the table");
            var rest = address[$"{city!.Province}{city.City}市".Length..];
            var district = city.Districts.SingleOrDefault(d => rest.StartsWith(d, StringComparison.Ordinal));
            Assert.True(district is not null, $"{entity}: '{address}' names no district of {city.City} ({string.Join("、", city.Districts)})");
            Assert.True(region is null || region == city.Region, $"{entity}: '{address}' is in {city.Region}, the record says {region}");
        }

        // The table itself: no district listed twice for one city, every region has cities.
        Assert.All(DemoCities.All, c => Assert.Equal(c.Districts.Count, c.Districts.Distinct().Count()));
        Assert.All(new[] { "east", "south", "north", "central", "west" }, r => Assert.NotEmpty(DemoCities.Of(r)));
    }
}
