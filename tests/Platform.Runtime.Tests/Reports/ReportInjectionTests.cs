using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// Tries SQL injection through every viewer input of reports, drill-downs, dashboards and the records list (parameter
/// values, <c>filter=</c> fields, operators and values, <c>point.*</c> keys and values, <c>measure=</c>, sort, paging):
/// never a 500, either a 422 naming the input or exactly the rows the literal value matches, no records changed, and
/// a <c>pg_sleep</c> payload answers at once. The lab's tickets carry payload-like names, so literal matches are real rows.
/// </summary>
[Collection("platform")]
public sealed class ReportInjectionTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Lab = "inj_lab";
    private const string LabApi = "/api/apps/" + Lab;
    private const string Template = "/api/apps/after_sales";

    public static readonly string[] Payloads =
    [
        "' or 1=1 --",
        "'); drop table records; --",
        "\"; drop table records; --",
        "x' union select id::text, 1, 1 from records --",
        "$$",
        "$$ or 1=1 $$",
        "\\",
        "\\' or 1=1 --",
        "%",
        "_",
        "%_%",
        "‘ or 1=1 --",
        "’); drop table records; --",
        "＇ or １=１ --",
        "1; select pg_sleep(5)",
        "1) or pg_sleep(5) is null --",
        "' || pg_sleep(5) || '",
        new string('x', 2000) + "' or 1=1 --",
        "a\u0000b",
        "\u0000",
        "{\"$ne\": null}",
        "[\"east\", \"south\"]",
        "{\"json\": [1, 2]}",
        "null",
        "true",
        "1e309",
        "-0",
        "2026-01-01'; --",
        "2026-01-01..2026-13-45",
        "east' or 'x'='x",
        "east|' or 1=1 --",
        "a:b:c",
        "|",
        "..",
        "\r\n",
        "🙂",
        "3000y",
        "9999y",
        "0001-01-01..",
        "..9999-12-31",
        "9999-12-31",
        "0001-01-01",
        "' or 1=1 --",
    ];

    private readonly ConcurrentBag<string> failures = [];
    private readonly ConcurrentBag<(string What, double Ms)> timings = [];
    private List<Ticket> tickets = [];
    private long recordsBefore;

    public async Task InitializeAsync()
    {
        await ReportLab.EnsureAsync(platform, Lab);
        tickets = await TicketsAsync();
        recordsBefore = await platform.CountAsync("select count(*) from records");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReportParameters_AnswerTheLiteralMatchOr422_ForEveryPayload()
    {
        var cases = new List<Case>();
        foreach (var p in Payloads)
        {
            var e = Uri.EscapeDataString(p);
            cases.Add(new($"names?name={Show(p)}", $"{LabApi}/reports/names/data?name={e}", "name", Names(t => Blank(p) || p.Split('|').Contains(t.Name)), Lenient(p)));
            cases.Add(new($"names?q={Show(p)}", $"{LabApi}/reports/names/data?q={e}", "q", Names(t => Blank(p) || Contains(t.Name, p)), Lenient(p)));
            cases.Add(new($"owner_region?region={Show(p)}", $"{LabApi}/reports/owner_region/data?region={e}", "region", OwnerRegions(t => Blank(p) || p.Split('|').Contains(t.OwnerRegion)), Lenient(p)));
            cases.Add(new($"owner_region?tag={Show(p)}", $"{LabApi}/reports/owner_region/data?tag={e}", "tag", OwnerRegions(t => Blank(p) || p.Split('|').Any(t.Tags.Contains)), Lenient(p)));
            cases.Add(new($"owner_region?urgent={Show(p)}", $"{LabApi}/reports/owner_region/data?urgent={e}", "urgent",
                Blank(p) ? OwnerRegions(_ => true) : Booleans(p) is { } flags ? OwnerRegions(t => t.Urgent is { } u && flags.Contains(u)) : null));
            cases.Add(new($"owner_region?amount={Show(p)}", $"{LabApi}/reports/owner_region/data?amount={e}", "amount", Range(p, Number) is { } range ? OwnerRegions(t => range(t.Amount)) : null));
            cases.Add(new($"owner_region?amount=1..{Show(p)}", $"{LabApi}/reports/owner_region/data?amount=1..{e}", "amount", Range("1.." + p, Number) is { } r2 ? OwnerRegions(t => r2(t.Amount)) : null));
            cases.Add(new($"owner_region?opened={Show(p)}", $"{LabApi}/reports/owner_region/data?opened={e}", "opened", Range(p, Day) is { } r3 ? OwnerRegions(t => r3(t.OpenedOn)) : null));
            cases.Add(new($"owner_region?opened=2026-01-01..{Show(p)}", $"{LabApi}/reports/owner_region/data?opened=2026-01-01..{e}", "opened", Range("2026-01-01.." + p, Day) is { } r4 ? OwnerRegions(t => r4(t.OpenedOn)) : null));
            cases.Add(new($"by_status?region={Show(p)} (rollup)", $"{LabApi}/reports/by_status/data?region={e}", "region", Statuses(t => Blank(p) || p.Split('|').Contains(t.Region)), Lenient(p)));
            cases.Add(new($"by_status?period={Show(p)} (rollup)", $"{LabApi}/reports/by_status/data?period={e}", "period", Range(p, Day) is { } r5 ? Statuses(_ => r5(Today)) : null));
            cases.Add(new($"by_status?period={Show(p)} (raw)", $"{LabApi}/reports/by_status/data?period={e}&filter=name:notEmpty:x", "period", Range(p, Day) is { } r6 ? Statuses(_ => r6(Today)) : null));
            cases.Add(new($"return_reasons?kind={Show(p)} (rollup)", $"{Template}/reports/return_reasons/data?kind={e}", "kind", Blank(p) ? SomeRows : NoRows, Lenient(p)));
            cases.Add(new($"return_reasons?period=..{Show(p)}", $"{Template}/reports/return_reasons/data?period=..{e}", "period", Range(".." + p, Day) is not null ? AnyRows : null));
            cases.Add(new($"category_analysis?region&category={Show(p)}", $"{Template}/reports/category_analysis/data?region={e}&category={e}", "region", Blank(p) ? SomeRows : NoRows, Lenient(p)));
        }

        await RunAsync(cases);
    }

    [Fact]
    public async Task ViewerFilters_AnswerTheLiteralMatchOr422_ForEveryPayloadAsFieldOperatorAndValue()
    {
        var cases = new List<Case>();
        foreach (var p in Payloads)
        {
            var e = Uri.EscapeDataString(p);
            cases.Add(new($"filter={Show(p)}:eq:x", $"{LabApi}/reports/names/data?filter={e}:eq:x", "filter", null));
            cases.Add(new($"filter=name:{Show(p)}:x", $"{LabApi}/reports/names/data?filter=name:{e}:x", "filter", null));
            cases.Add(new($"filter=name:eq:{Show(p)}", $"{LabApi}/reports/names/data?filter=name:eq:{e}", "filter", Names(t => t.Name == p), Lenient(p)));
            cases.Add(new($"filter=name:ne:{Show(p)}", $"{LabApi}/reports/names/data?filter=name:ne:{e}", "filter", Names(t => t.Name != p), Lenient(p)));
            cases.Add(new($"filter=name:contains:{Show(p)}", $"{LabApi}/reports/names/data?filter=name:contains:{e}", "filter", Names(t => Contains(t.Name, p)), Lenient(p)));
            cases.Add(new($"filter=name:in:{Show(p)}", $"{LabApi}/reports/names/data?filter=name:in:{e}", "filter", Names(t => p.Split('|').Contains(t.Name)), Lenient(p)));
            cases.Add(new($"filter=name:gt:{Show(p)}", $"{LabApi}/reports/names/data?filter=name:gt:{e}", "filter", AnyRows, true));
            cases.Add(new($"filter=amount:ge:{Show(p)}", $"{LabApi}/reports/names/data?filter=amount:ge:{e}", "filter",
                decimal.TryParse(p, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? Names(t => t.Amount >= n) : null));
            cases.Add(new($"filter=opened_on:ge:{Show(p)}", $"{LabApi}/reports/names/data?filter=opened_on:ge:{e}", "filter",
                Day(p) is { } day ? Names(t => t.OpenedOn is not null && string.CompareOrdinal(t.OpenedOn, day) >= 0) : null));
            cases.Add(new($"filter=createdAt:within:{Show(p)}", $"{LabApi}/reports/names/data?filter=createdAt:within:{e}", "filter", null));
            cases.Add(new($"filter=urgent:eq:{Show(p)}", $"{LabApi}/reports/names/data?filter=urgent:eq:{e}", "filter", bool.TryParse(p, out var b) ? Names(t => t.Urgent == b) : null));
            cases.Add(new($"filter=tags:eq:{Show(p)}", $"{LabApi}/reports/names/data?filter=tags:eq:{e}", "filter", Names(t => t.Tags.Contains(p)), Lenient(p)));
            cases.Add(new($"filter=owner.region:in:{Show(p)}", $"{LabApi}/reports/names/data?filter=owner.region:in:{e}", "filter", Names(t => p.Split('|').Contains(t.OwnerRegion)), Lenient(p)));
            cases.Add(new($"by_status filter=name:eq:{Show(p)} (raw path of a rollup)", $"{LabApi}/reports/by_status/data?filter=name:eq:{e}", "filter", Statuses(t => t.Name == p), Lenient(p)));
            cases.Add(new($"return_reasons filter=reason:eq:{Show(p)}", $"{Template}/reports/return_reasons/data?filter=reason:eq:{e}", "filter", NoRows, Lenient(p)));
            cases.Add(new($"stage_durations filter=step:eq:{Show(p)}", $"{Template}/reports/stage_durations/data?filter=step:eq:{e}", "filter", NoRows, Lenient(p)));
        }

        await RunAsync(cases);
    }

    [Fact]
    public async Task Drill_AnswersTheLiteralMatchOr422_ForEveryPayloadAsPointValuePointKeyAndMeasure()
    {
        var cases = new List<Case>();
        foreach (var p in Payloads)
        {
            var e = Uri.EscapeDataString(p);
            var exact = tickets.Count(t => t.Name == p);
            cases.Add(new($"drill point.name={Show(p)}", $"{LabApi}/reports/names/drill?point.name={e}&pageSize=200", "point.name", Total(exact), Lenient(p)));
            cases.Add(new($"drill point.{Show(p)}=x", $"{LabApi}/reports/names/drill?point.{e}=x", "point.", null));
            cases.Add(new($"drill measure={Show(p)}", $"{LabApi}/reports/names/drill?point.name=plain&measure={e}", "measure", null));
            cases.Add(new($"drill point.name=plain&q={Show(p)}", $"{LabApi}/reports/names/drill?point.name=plain&q={e}", "q", Total(Blank(p) || Contains("plain", p) ? 1 : 0), Lenient(p)));
            cases.Add(new($"drill point.name=plain&filter=name:eq:{Show(p)}", $"{LabApi}/reports/names/drill?point.name=plain&filter=name:eq:{e}", "filter", Total(p == "plain" ? 1 : 0), Lenient(p)));
            cases.Add(new($"drill by_status point.status={Show(p)}", $"{LabApi}/reports/by_status/drill?point.status={e}&measure=urgent_share", "point.status", Total(0), Lenient(p)));
            cases.Add(new($"drill return_reasons point.reason={Show(p)}", $"{Template}/reports/return_reasons/drill?point.reason={e}", "point.reason", Total(0), Lenient(p)));
            cases.Add(new($"drill return_rate_trend point.month={Show(p)} measure=orders", $"{Template}/reports/return_rate_trend/drill?point.month={e}&measure=orders", "point.month", Total(0), Lenient(p)));
            cases.Add(new($"drill stage_durations point.step={Show(p)}", $"{Template}/reports/stage_durations/drill?point.step={e}&point.month={e}", "point.step", Total(0), Lenient(p)));
            cases.Add(new($"drill engineer_performance point.engineer={Show(p)} measure=csat", $"{Template}/reports/engineer_performance/drill?point.engineer={e}&measure=csat", "point.engineer", Total(0), Lenient(p)));
            cases.Add(new($"records?drill=names&point.name={Show(p)}", $"{LabApi}/entities/ticket/records?drill=names&point.name={e}&pageSize=200", "point.name", Total(exact), Lenient(p)));
            cases.Add(new($"records?drill={Show(p)}", $"{LabApi}/entities/ticket/records?drill={e}", "drill", null));
            cases.Add(new($"drill page={Show(p)}", $"{LabApi}/reports/names/drill?point.name=plain&page={e}", "page", null));
            cases.Add(new($"drill pageSize={Show(p)}", $"{LabApi}/reports/names/drill?point.name=plain&pageSize={e}", "pageSize", null));
        }

        await RunAsync(cases);
    }

    [Fact]
    public async Task RecordsList_AnswersTheLiteralMatchOr422_ForEveryPayloadInSortAndFilter()
    {
        var cases = new List<Case>();
        var records = $"{LabApi}/entities/ticket/records";
        foreach (var p in Payloads)
        {
            var e = Uri.EscapeDataString(p);
            cases.Add(new($"records sort={Show(p)}", $"{records}?sort={e}", "sort", Blank(p) ? Total(tickets.Count) : null));
            cases.Add(new($"records sort=-{Show(p)}", $"{records}?sort=-{e}", "sort", null));
            cases.Add(new($"records filter={Show(p)}:eq:x", $"{records}?filter={e}:eq:x", "filter", null));
            cases.Add(new($"records filter=name:{Show(p)}:x", $"{records}?filter=name:{e}:x", "filter", null));
            cases.Add(new($"records filter=name:eq:{Show(p)}", $"{records}?filter=name:eq:{e}&pageSize=200", "filter", Total(tickets.Count(t => t.Name == p)), Lenient(p)));
            cases.Add(new($"records filter=name:contains:{Show(p)}", $"{records}?filter=name:contains:{e}&pageSize=200", "filter", Total(tickets.Count(t => Contains(t.Name, p))), Lenient(p)));
            cases.Add(new($"records filter=name:in:{Show(p)}", $"{records}?filter=name:in:{e}&pageSize=200", "filter", Total(tickets.Count(t => p.Split('|').Contains(t.Name))), Lenient(p)));
            cases.Add(new($"records filter=amount:gt:{Show(p)}", $"{records}?filter=amount:gt:{e}", "filter",
                decimal.TryParse(p, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? Total(tickets.Count(t => t.Amount > n)) : null));
            cases.Add(new($"records filter=tags:contains:{Show(p)}", $"{records}?filter=tags:contains:{e}", "filter", Total(tickets.Count(t => t.Tags.Contains(p))), Lenient(p)));
            cases.Add(new($"records filter=id:eq:{Show(p)}", $"{records}?filter=id:eq:{e}", "filter", null));
            cases.Add(new($"records filter=createdAt:gt:{Show(p)}", $"{records}?filter=createdAt:gt:{e}", "filter", AnyRows, true));
            cases.Add(new($"records page={Show(p)}", $"{records}?page={e}", "page", null));
        }

        await RunAsync(cases);
    }

    [Fact]
    public async Task DashboardData_AnswersLikeEachWidgetsReport_ForEveryPayloadAsAFilter()
    {
        var cases = new List<Case>();
        foreach (var p in Payloads)
        {
            var e = Uri.EscapeDataString(p);
            cases.Add(new($"lab dashboard region={Show(p)}", $"{LabApi}/dashboards/lab/data?region={e}", "-", null) { Dashboard = ("lab", new() { ["region"] = p }) });
            cases.Add(new($"lab dashboard period={Show(p)}", $"{LabApi}/dashboards/lab/data?period={e}&region=east", "-", null) { Dashboard = ("lab", new() { ["period"] = p, ["region"] = "east" }) });
            cases.Add(new($"overview region&category={Show(p)}", $"{Template}/dashboards/after_sales_overview/data?region={e}&category={e}", "-", null)
            {
                Dashboard = ("after_sales_overview", new() { ["region"] = p, ["category"] = p }),
            });
        }

        await RunAsync(cases);
    }

    [Fact]
    public async Task LongRunningPayloads_AnswerAtOnce_AndNothingIsWritten()
    {
        var cases = new List<Case>();
        foreach (var p in Payloads.Where(p => p.Contains("pg_sleep", StringComparison.Ordinal)))
        {
            var e = Uri.EscapeDataString(p);
            cases.Add(new($"names?name={p}", $"{LabApi}/reports/names/data?name={e}&q={e}&filter=name:contains:{e}", "name", Names(t => t.Name == p && Contains(t.Name, p))));
            cases.Add(new($"return_reasons?kind={p}", $"{Template}/reports/return_reasons/data?kind={e}", "kind", NoRows));
            cases.Add(new($"records filter={p}", $"{LabApi}/entities/ticket/records?filter=name:eq:{e}", "filter", Total(tickets.Count(t => t.Name == p))));
        }

        await RunAsync(cases, parallel: false);
        Assert.All(timings, t => Assert.True(t.Ms < 2500, $"{t.What} took {t.Ms:0} ms"));
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where app_key = $1 and data->>'name' = $2", Lab, "1; select pg_sleep(5)"));
    }

    [Theory]
    [InlineData("name", "' or 1=1 --", "' or 1=1 --")]
    [InlineData("name", "'); drop table records; --", "'); drop table records; --")]
    [InlineData("name", "$$dollar$$", "$$dollar$$")]
    [InlineData("name", "back\\slash", "back\\slash")]
    [InlineData("q", "%", "100% sure")]
    [InlineData("q", "a_b", "a_b c")]
    [InlineData("q", "\\", "back\\slash")]
    [InlineData("q", "’ “", "‘curly’ “quotes”")]
    [InlineData("q", "pg_sleep(5)", "1; select pg_sleep(5)")]
    [InlineData("q", "[1, 2]}", "{\"json\": [1, 2]}")]
    public async Task Data_MatchesOnlyTheTicketNamedSo_WhenTheValueLooksLikeInjection(string parameter, string value, string name)
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{LabApi}/reports/names/data?{parameter}={Uri.EscapeDataString(value)}"), HttpStatusCode.OK);
        var row = Assert.Single(data["rows"]!.AsArray());
        Assert.Equal(name, row!["name"]!.GetValue<string>());
        Assert.Equal(1, row["n"]!.GetValue<long>());
        var drill = await ApiAssert.JsonAsync(await client.GetAsync($"{LabApi}/reports/names/drill?point.name={Uri.EscapeDataString(name)}"), HttpStatusCode.OK);
        Assert.Equal(name, Assert.Single(drill["items"]!.AsArray())!["data"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0_ s")] // as a LIKE pattern it would match "100% sure"
    [InlineData("a%c")] // … "a_b c"
    [InlineData("back_slash")] // … "back\\slash"
    [InlineData("\\s")] // an escape of s: "back\\slash" only matches a literal backslash before s
    public async Task Data_MatchesNothing_WhenAContainsValueWouldOnlyMatchAsALikePattern(string value)
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{LabApi}/reports/names/data?q={Uri.EscapeDataString(value)}"), HttpStatusCode.OK);
        var expected = tickets.Where(t => Contains(t.Name, value)).Select(t => t.Name!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, data["rows"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData("urgent:in:true|false", 9)]
    [InlineData("urgent:in:true", 4)]
    [InlineData("amount:in:10.5|20|7", 3)]
    [InlineData("score:in:5", 3)]
    public async Task Data_FiltersTypedValuesWithIn_WhenTheFieldIsBooleanOrNumber(string filter, int count)
    {
        using var client = await platform.ClientForAsync("admin");
        var data = await ApiAssert.JsonAsync(await client.GetAsync($"{LabApi}/reports/names/data?filter={Uri.EscapeDataString(filter)}"), HttpStatusCode.OK);
        Assert.Equal(count, data["rows"]!.AsArray().Sum(r => r!["n"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Data_Is422NamingTheInput_WhenAValueHoldsNul()
    {
        using var client = await platform.ClientForAsync("admin");
        foreach (var (url, key) in new[]
        {
            ($"{LabApi}/reports/names/data?name=a%00b", "name"),
            ($"{LabApi}/reports/by_status/data?region=east%00", "region"),
            ($"{LabApi}/reports/names/data?filter=name:contains:%00", "filter"),
            ($"{LabApi}/reports/names/drill?point.name=%00", "point.name"),
            ($"{LabApi}/entities/ticket/records?filter=name:eq:%00", "filter"),
        })
        {
            Assert.Contains(key, await ApiAssert.InvalidFieldsAsync(await client.GetAsync(url)));
        }

        // The refused values never reached PostgreSQL, so the pooled connections still answer.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{LabApi}/reports/names/data")).StatusCode);
    }

    private async Task RunAsync(List<Case> cases, bool parallel = true)
    {
        using var client = await platform.ClientForAsync("admin");
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = parallel ? 8 : 1 }, async (c, ct) => await CheckAsync(client, c, ct));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} inputs misbehaved:\n" + string.Join("\n", failures.Order(StringComparer.Ordinal).Take(60)));
        Assert.Equal(recordsBefore, await platform.CountAsync("select count(*) from records"));
        Assert.Equal(tickets.Count, (await TicketsAsync()).Count);
        Assert.NotNull(await ScalarAsync("select to_regclass('public.records')::text"));
    }

    private async Task CheckAsync(HttpClient client, Case c, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(c.Url, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        timings.Add((c.What, watch.Elapsed.TotalMilliseconds));
        var status = (int)response.StatusCode;
        if (status == 422)
        {
            var errors = JsonNode.Parse(text)?["errors"]?.AsObject();
            var named = errors?.Any(x => c.ErrorKey.EndsWith('.') ? x.Key.StartsWith(c.ErrorKey, StringComparison.Ordinal) : x.Key == c.ErrorKey) == true;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !named)
            {
                failures.Add($"{c.What}: 422 not naming '{c.ErrorKey}': {Cut(text)}");
            }
            else if (c.Expect is not null && !c.Lenient)
            {
                failures.Add($"{c.What}: 422 but the literal value should simply match: {Cut(text)}");
            }

            return;
        }

        if (status != 200)
        {
            failures.Add($"{c.What}: {status} {Cut(text)}");
            return;
        }

        var body = JsonNode.Parse(text)!.AsObject();
        if (c.Dashboard is { } dashboard)
        {
            await CheckDashboardAsync(client, c, dashboard.Key, dashboard.Filters, body, ct);
            return;
        }

        if (c.Expect is null)
        {
            failures.Add($"{c.What}: 200 but a 422 naming '{c.ErrorKey}' was expected: {Cut(text)}");
            return;
        }

        if (c.Expect(body) is { } problem)
        {
            failures.Add($"{c.What}: {problem}");
        }
    }

    /// <summary>Each widget answers exactly what its report answers for the same filters, or carries the report's error.</summary>
    private async Task CheckDashboardAsync(HttpClient client, Case c, string dashboard, Dictionary<string, string> filters, JsonObject body, CancellationToken ct)
    {
        var app = c.Url.StartsWith(LabApi, StringComparison.Ordinal) ? LabApi : Template;
        foreach (var widget in body["widgets"]!.AsArray())
        {
            var report = widget!["report"]!.GetValue<string>();
            var definition = JsonNode.Parse(await client.GetStringAsync($"{app}/reports/{report}", ct))!;
            var keys = definition["parameters"]?.AsArray().Select(x => x!["key"]!.GetValue<string>()).ToHashSet() ?? [];
            var query = string.Join("&", filters.Where(f => keys.Contains(f.Key)).Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
            using var alone = await client.GetAsync($"{app}/reports/{report}/data?{query}", ct);
            var aloneText = await alone.Content.ReadAsStringAsync(ct);
            if (alone.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                if (widget["error"] is null)
                {
                    failures.Add($"{c.What}: widget {report} has data although its report answers 422");
                }

                continue;
            }

            if (alone.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{c.What}: report {report} alone answers {(int)alone.StatusCode} {Cut(aloneText)}");
                continue;
            }

            var rows = JsonNode.Parse(aloneText)!["rows"]!.ToJsonString();
            if (widget["data"]?["rows"]?.ToJsonString() != rows)
            {
                failures.Add($"{c.What}: widget {report} rows differ from the report's: {Cut(widget.ToJsonString())} vs {Cut(rows)}");
            }
        }
    }

    // ---- expectations computed from the lab's tickets ----

    private static readonly Func<JsonObject, string?> NoRows = body =>
        body["rows"]!.AsArray().Count == 0 ? null : $"expected no rows, got {Cut(body["rows"]!.ToJsonString())}";

    private static readonly Func<JsonObject, string?> SomeRows = body =>
        body["rows"]!.AsArray().Count > 0 ? null : "expected the unfiltered rows, got none";

    /// <summary>Any well-formed answer (the match depends on collation, e.g. text comparisons).</summary>
    private static readonly Func<JsonObject, string?> AnyRows = _ => null;

    private Func<JsonObject, string?> Names(Func<Ticket, bool> match) => Grouped("name", t => t.Name, match);

    private Func<JsonObject, string?> OwnerRegions(Func<Ticket, bool> match) => Grouped("region", t => t.OwnerRegion, match);

    private Func<JsonObject, string?> Statuses(Func<Ticket, bool> match) => Grouped("status", t => t.Name is null or "" ? null : t.Status, match, skipNull: true);

    /// <summary>The rows are exactly the groups (dimension value → count n) of the tickets that match.</summary>
    private Func<JsonObject, string?> Grouped(string dimension, Func<Ticket, string?> key, Func<Ticket, bool> match, bool skipNull = false) => body =>
    {
        var expected = tickets.Where(match).Where(t => !skipNull || key(t) is not null).GroupBy(t => key(t) ?? "\u0001null")
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var actual = body["rows"]!.AsArray().ToDictionary(r => r![dimension]?.GetValue<string>() ?? "\u0001null", r => r!["n"]!.GetValue<long>());
        var same = expected.Count == actual.Count && expected.All(x => actual.TryGetValue(x.Key, out var n) && n == x.Value);
        return same ? null : $"expected {Show(string.Join(", ", expected.Select(x => $"{x.Key}={x.Value}")))} got {Show(string.Join(", ", actual.Select(x => $"{x.Key}={x.Value}")))}";
    };

    private static Func<JsonObject, string?> Total(long expected) => body =>
        body["total"]!.GetValue<long>() == expected && body["items"]!.AsArray().Count == Math.Min(expected, 200) ? null : $"expected total {expected}, got {body["total"]} ({body["items"]!.AsArray().Count} items)";

    private static bool Blank(string p) => string.IsNullOrWhiteSpace(p);

    /// <summary>The China date the lab's tickets were created on (the import).</summary>
    private static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A value PostgreSQL cannot hold (NUL) may be refused with a 422 instead of matching nothing.</summary>
    private static bool Lenient(string p) => p.Contains('\0', StringComparison.Ordinal);

    private static bool Contains(string? value, string part) =>
        value is not null && value.ToLowerInvariant().Contains(part.ToLowerInvariant(), StringComparison.Ordinal);

    private static bool[]? Booleans(string p)
    {
        if (Blank(p))
        {
            return [true, false];
        }

        var parts = p.Split('|');
        var flags = new bool[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!bool.TryParse(parts[i], out flags[i]))
            {
                return null;
            }
        }

        return flags;
    }

    private static decimal? Number(string s) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string? Day(string s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// How a range parameter reads <paramref name="p"/>: blank is no condition, else <c>from..to</c> with either end empty;
    /// null when an end does not parse (a 422), else the test a value must pass.
    /// </summary>
    private static Func<T?, bool>? Range<T>(string p, Func<string, T?> parse)
    {
        if (Blank(p))
        {
            return _ => true;
        }

        var ends = p.Split("..", 2).Select(x => x.Trim()).ToArray();
        var bounds = new List<(T Bound, int Sign)>();
        for (var i = 0; i < ends.Length; i++)
        {
            if (ends[i].Length == 0)
            {
                continue;
            }

            if (parse(ends[i]) is not { } bound)
            {
                return null;
            }

            bounds.Add((bound, i == 0 ? 1 : -1));
        }

        return value => bounds.Count == 0 || (value is not null && bounds.All(b => Comparer<T>.Default.Compare(value, b.Bound) * b.Sign >= 0));
    }

    private static string Show(string s) => Cut(s.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal), 60);

    private static string Cut(string s, int max = 300) => s.Length <= max ? s : s[..max] + "…";

    private async Task<List<Ticket>> TicketsAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            select t.data->>'name', t.data->>'status', t.data->>'region', (t.data->>'amount')::numeric, t.data->>'opened_on', (t.data->>'urgent')::boolean,
                   coalesce(array(select jsonb_array_elements_text(case when jsonb_typeof(t.data->'tags') = 'array' then t.data->'tags' end)), '{}'), o.data->>'region'
            from records t left join records o on o.app_key = t.app_key and o.entity_key = 'owner' and o.id::text = t.data->>'owner'
            where t.app_key = $1 and t.entity_key = 'ticket'
            """,
            connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Lab });
        var list = new List<Ticket>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(new Ticket(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5),
                reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return list;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private sealed record Ticket(string? Name, string? Status, string? Region, decimal? Amount, string? OpenedOn, bool? Urgent, string[] Tags, string? OwnerRegion);

    /// <summary>
    /// One request: a 422 must name <see cref="ErrorKey"/> (a prefix when it ends with a dot); a 200 must pass
    /// <see cref="Expect"/> (null: only a 422 is right); <see cref="Lenient"/> also accepts a 422 where rows were expected.
    /// </summary>
    private sealed record Case(string What, string Url, string ErrorKey, Func<JsonObject, string?>? Expect, bool Lenient = false)
    {
        public (string Key, Dictionary<string, string> Filters)? Dashboard { get; init; }
    }
}
