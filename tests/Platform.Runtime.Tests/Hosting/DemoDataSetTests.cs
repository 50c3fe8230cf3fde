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

    /// <summary>Tuesday 2026-12-02, 08:40 in China: the first days of a month, as a reviewer walked the demo.</summary>
    private static readonly DateTimeOffset EarlyInTheMonth = new(2026, 12, 2, 0, 40, 0, TimeSpan.Zero);

    private static decimal Money(System.Text.Json.Nodes.JsonNode value) => decimal.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Month(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Prepare_FillsEachOfTheTwelveWholeMonths_WhenLoadedEarlyInAMonth()
    {
        var set = await PrepareAsync(20261124, EarlyInTheMonth);
        var months = Enumerable.Range(0, 12).Select(i => new DateTimeOffset(2025, 12, 1, 0, 0, 0, ChinaTime.Offset).AddMonths(i)).Select(Month).ToList();
        int[] Count(string entity, Func<DemoRecord, bool>? where = null) =>
            [.. months.Select(m => set.Records.Count(r => r.Record.Entity == entity && Month(r.Record.CreatedAt) == m && (where?.Invoke(r.Record) ?? true)))];

        var orders = Count("sales_order");
        var returns = Count("return_request");
        var requests = Count("service_request");
        var surveys = Count("feedback", r => r.Input["return_request"] is not null);
        var visits = Count("feedback", r => r.Input["service_request"] is not null);
        var all = string.Join("; ", months.Select((m, i) => $"{m}: {orders[i]}/{returns[i]}/{requests[i]}/{surveys[i]}/{visits[i]}"));
        for (var i = 0; i < months.Count; i++)
        {
            var what = $"{months[i]}: {orders[i]} orders, {returns[i]} returns, {requests[i]} requests, {surveys[i]} return surveys, {visits[i]} visit surveys ({all})";
            Assert.True(orders[i] is >= 60 and <= 420, what);
            Assert.True(returns[i] is >= 6 and <= 70, what);
            Assert.True(returns[i] * 100.0 / orders[i] is >= 6 and <= 30, what);
            Assert.True(requests[i] is >= 18 and <= 90, what);
            Assert.True(surveys[i] is >= 2 and <= 30, what);
            Assert.True(visits[i] is >= 8 and <= 60, what);
        }

        // The seasons of an appliance brand (DemoSeason): 双11 and 618 bring the orders, the Spring Festival (2026-02) empties the
        // shops, summer brings the repairs; the returns follow the orders.
        int At(string month) => months.IndexOf(month);
        Assert.True(orders[At("2026-11")] > 2 * orders[At("2026-02")] && orders[At("2026-11")] > orders[At("2026-06")], all);
        Assert.True(orders[At("2026-06")] > 1.4 * orders[At("2026-04")], all);
        Assert.True(requests[At("2026-07")] > 1.3 * requests[At("2026-04")], all);
        Assert.True(returns[At("2026-06")] > 1.3 * returns[At("2026-02")], all);
    }

    [Fact]
    public async Task Prepare_GivesEveryProductAModelCodeAndPriceOfItsKind()
    {
        var set = await PrepareAsync(20261124, EarlyInTheMonth);
        (string Kind, string Category, string[] Prefixes, int Min, int Max)[] conventions =
        [
            ("冰箱", "refrigeration", ["BCD"], 1999, 12999), ("冷柜", "refrigeration", ["BD/BC", "BCD"], 999, 4999), ("酒柜", "refrigeration", ["JC"], 1999, 9999),
            ("空调", "refrigeration", ["KFR", "KF"], 2299, 8999), ("洗碗机", "kitchen", ["WQP"], 2499, 7999), ("油烟机", "kitchen", ["CXW"], 1299, 5999),
            ("燃气灶", "kitchen", ["JZT", "JZY"], 599, 2999), ("燃气热水器", "kitchen", ["JSQ"], 999, 4999), ("净水器", "kitchen", ["MRO", "MRC"], 999, 4999),
            ("洗衣机", "laundry", ["XQG", "XQB"], 999, 6999), ("洗烘一体机", "laundry", ["XQG"], 2499, 8999), ("干衣机", "laundry", ["GDNE", "GBN"], 1999, 7999),
            ("电饭煲", "small", ["MB", "FB"], 199, 1299), ("空气炸锅", "small", ["KZ"], 149, 799), ("破壁机", "small", ["PB"], 199, 1999),
            ("扫地机器人", "small", ["RV"], 999, 4999), ("电热水壶", "small", ["SWF", "ZK"], 99, 399), ("吸尘器", "small", ["VC"], 399, 2999),
            ("智能门锁", "other", ["S", "K"], 999, 3999), ("除湿机", "other", ["CF"], 799, 2999), ("空气净化器", "other", ["KJ"], 799, 4999),
        ];
        var products = set.Records.Where(r => r.Record.Entity == "product").Select(r => r.Data).ToList();
        Assert.Equal(50, products.Count);
        foreach (var p in products)
        {
            var name = p["name"]!.GetValue<string>();
            var (kind, model) = (name[..name.IndexOf(' ', StringComparison.Ordinal)], name[(name.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var matching = conventions.Where(c => kind.Contains(c.Kind, StringComparison.Ordinal)).ToList();
            Assert.True(matching.Count > 0, $"no convention for {name}");
            var rule = matching.MaxBy(c => c.Kind.Length);
            var prefix = new string([.. model.TakeWhile(c => char.IsAsciiLetterUpper(c) || c == '/')]).TrimEnd('/');
            Assert.True(rule.Prefixes.Contains(prefix), $"{name}: model prefix '{prefix}' is not one of {string.Join("/", rule.Prefixes)}");
            Assert.Equal(rule.Category, p["category"]!.GetValue<string>());
            Assert.InRange(Money(p["price"]!), rule.Min, rule.Max);
        }
    }

    [Fact]
    public async Task Prepare_LinksMostServiceRequestsToAnOrderOfTheirCustomer_WithThatOrdersProduct()
    {
        var set = await PrepareAsync(20261124, EarlyInTheMonth);
        var orders = set.Records.Where(r => r.Record.Entity == "sales_order").ToDictionary(r => r.Data["order_no"]!.GetValue<string>(), r => r);
        var requests = set.Records.Where(r => r.Record.Entity == "service_request").ToList();
        var linked = requests.Where(r => r.Data["order_no"] is not null).ToList();
        Assert.True(linked.Count > requests.Count * 0.7, $"{linked.Count} of {requests.Count} service requests have an order");
        Assert.True(requests.Where(r => r.Data["type"]!.GetValue<string>() == "install").Count(r => r.Data["order_no"] is not null) > requests.Count(r => r.Data["type"]!.GetValue<string>() == "install") * 0.85);
        foreach (var r in linked)
        {
            var order = orders[r.Data["order_no"]!.GetValue<string>()];
            Assert.Equal(order.Data["customer"]!.GetValue<string>(), r.Data["customer"]!.GetValue<string>());
            Assert.Equal(order.Data["purchased_at"]!.GetValue<string>(), r.Data["purchased_at"]!.GetValue<string>());
            Assert.Contains(r.Data["product"]!.GetValue<string>(), order.Data["items"]!.AsArray().Select(i => i!["product"]!.GetValue<string>()));
            Assert.True(order.Record.CreatedAt < r.Record.CreatedAt, $"{r.Data["ticket_no"]} is before its order");
        }

        // No caller rings about everything: requests per phone stay a handful.
        Assert.InRange(requests.GroupBy(r => r.Data["phone"]!.GetValue<string>()).Max(g => g.Count()), 1, 8);

        // Most private customers buy once to a few times a year.
        var perCustomer = set.Records.Where(r => r.Record.Entity == "sales_order").GroupBy(r => r.Data["customer"]!.GetValue<string>()).Select(g => g.Count()).ToList();
        Assert.True(perCustomer.Count(n => n <= 3) > set.Records.Count(r => r.Record.Entity == "customer") / 2, string.Join(",", perCustomer.Order()));
    }

    [Fact]
    public async Task Prepare_GivesCustomersRealisticEmails_AndClaimsAmountsOfTheirKind()
    {
        var set = await PrepareAsync(20261124, EarlyInTheMonth);
        var emails = set.Records.Where(r => r.Record.Entity == "customer" && r.Data["email"] is not null).Select(r => r.Data["email"]!.GetValue<string>()).ToList();
        Assert.True(emails.Count > 80, $"{emails.Count} e-mails");
        Assert.All(emails, e => Assert.Matches(@"^[a-z][a-z0-9]*([._][a-z0-9]+)?@[a-z0-9]+\.com$|^[1-9][0-9]{5,9}@qq\.com$", e));

        var claims = set.Records.Where(r => r.Record.Entity == "logistics_claim").Select(r => r.Data).ToList();
        decimal Average(string type, string customer) =>
            claims.Where(c => c["claim_type"]!.GetValue<string>() == type && c["customer_type"]!.GetValue<string>() == customer).Select(c => Money(c["amount"]!)).DefaultIfEmpty().Average();
        Assert.All(claims.Where(c => c["claim_type"]!.GetValue<string>() == "delayed" && c["customer_type"]!.GetValue<string>() == "retail"), c => Assert.InRange(Money(c["amount"]!), 1, 500));
        Assert.True(Average("delayed", "retail") < Average("broken", "retail"), "a delay costs less than a breakage");
        Assert.True(Average("broken", "retail") < Average("lost", "retail") * 1.2m, "a breakage costs less than a loss");
        Assert.True(Average("lost", "ka") > Average("lost", "retail"), "a key account's shipment is worth more");
    }

    [Fact]
    public async Task Prepare_FiresTheOverdueRule_ForEachRequestAcceptedLate()
    {
        var set = await PrepareAsync(20261124, EarlyInTheMonth);
        var late = set.Records.Where(r => r.Record.Entity == "service_request")
            .Select(r => (r.Record.CreatedAt, Accepted: set.Flows.Records[r.Record.Id]["accepted_at"]?.GetValue<string>()))
            .Count(r => r.Accepted is not null && DateTimeOffset.Parse(r.Accepted, System.Globalization.CultureInfo.InvariantCulture) - r.CreatedAt > TimeSpan.FromMinutes(30));
        var alerts = set.Flows.Overdue.Where(o => o.Rule == "accept_overdue").ToList();
        Assert.True(late > 10, $"{late} late acceptances");
        var waiting = set.Records.Count(r => r.Record.Entity == "service_request" && set.Flows.Records[r.Record.Id]["accepted_at"] is null);
        Assert.InRange(waiting, 5, 12); // the intake of the last hours waits to be accepted
        Assert.InRange(alerts.Count, late, late + waiting + 2); // and is overdue once it waited long enough (+ acceptances at exactly 30 minutes)
        Assert.All(alerts, a => Assert.Equal("accept", a.Step));
        Assert.Contains(set.Flows.Overdue, o => o.Rule == "cs_review_overdue");
        Assert.All(set.Flows.Overdue.Concat(set.Flows.PendingOverdue), o => Assert.True(o.At > set.Records.Single(r => r.Record.Id == o.RecordId).Record.CreatedAt));
        Assert.All(set.Flows.Overdue, o => Assert.True(o.At <= EarlyInTheMonth));
        Assert.All(set.Flows.PendingOverdue, o => Assert.True(o.At > EarlyInTheMonth));
    }
}
