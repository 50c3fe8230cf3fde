using System.Globalization;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// The template's nine reports computed in C# over a <see cref="RecordsSnapshot"/>, from what AFTER-SALES.md and each
/// report's description say they show: months and days in China time, averages over the records that have both moments,
/// ratios in percent, all rounded to 2 places. Each point also lists the records its count measure (<see cref="DrillMeasure"/>) counts.
/// </summary>
internal static class ReportFigures
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>The count measure each report is drilled by in the scenarios.</summary>
    public static string DrillMeasure(string report) => report switch
    {
        "return_rate_trend" => "returns",
        "avg_handling_time" => "handled",
        "stage_durations" => "visits",
        "engineer_performance" => "closed",
        "first_time_fix_rate" => "jobs",
        "csat_trend" => "responses",
        "region_response_time" => "accepted",
        _ => "count",
    };

    public static List<ExpectedPoint> Compute(string report, RecordsSnapshot s) => report switch
    {
        "return_rate_trend" => ReturnRateTrend(s),
        "return_reasons" => Group(s.Returns, r => Dims(("reason", r.Text("reason"))), g => new()
        {
            ["count"] = g.Count, ["amount"] = Sum(g.Select(r => r.Number("amount"))),
        }),
        "avg_handling_time" => Group(s.Returns.Where(r => r.FlowEndedAt is not null && InPreviousYear(s, r.CreatedAt)), r => Dims(("month", Month(r.CreatedAt)), ("kind", r.Text("kind"))), g => new()
        {
            ["hours"] = Average(g.Select(r => Hours(r.CreatedAt, r.FlowEndedAt!.Value))), ["handled"] = g.Count,
        }),
        "stage_durations" => StageDurations(s),
        "category_analysis" => Group(s.Returns, r => Dims(("category", Category(s, r))), g => new()
        {
            ["count"] = g.Count, ["quality"] = g.Count(r => r.Text("reason") == "quality"), ["amount"] = Sum(g.Select(r => r.Number("amount"))),
        }),
        "engineer_performance" => EngineerPerformance(s),
        "first_time_fix_rate" => Group(s.Feedback.Where(f => f.Text("service_request") is { Length: > 0 } && InPreviousYear(s, f.CreatedAt)), f => Dims(("month", Month(f.CreatedAt))), g =>
        {
            var fixedFirst = g.Count(f => f.Text("first_time_fix") == "true");
            return new() { ["fixed"] = fixedFirst, ["jobs"] = g.Count, ["rate"] = Percent(fixedFirst, g.Count) };
        }),
        "csat_trend" => Group(s.Feedback.Where(f => InPreviousYear(s, f.CreatedAt)), f => Dims(("month", Month(f.CreatedAt))), g => new()
        {
            ["csat"] = Average(g.Select(f => f.Number("rating"))), ["responses"] = g.Count,
        }),
        "region_response_time" => Group(s.Tickets.Where(t => t.Moment("accepted_at") is not null), t => Dims(("region", t.Text("region"))), g => new()
        {
            ["minutes"] = Average(g.Select(t => Hours(t.CreatedAt, t.Moment("accepted_at")!.Value) * 60)), ["accepted"] = g.Count,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(report), report, "not a template report"),
    };

    /// <summary>Returns per month of the last 12 (this one included) ÷ orders purchased that month.</summary>
    private static List<ExpectedPoint> ReturnRateTrend(RecordsSnapshot s)
    {
        var local = s.Now.ToOffset(China);
        // The twelve whole months before the current one ("previous 12m"): a partial month would end the trend on a spike.
        var end = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, China);
        var start = end.AddMonths(-12);
        var firstDay = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var endDay = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var returns = s.Returns.Where(r => r.CreatedAt >= start && r.CreatedAt < end).GroupBy(r => Month(r.CreatedAt)).ToDictionary(g => g.Key!, g => g.ToList());
        var orders = s.Orders.Where(o => o.Text("purchased_at") is { } day && string.CompareOrdinal(day, firstDay) >= 0 && string.CompareOrdinal(day, endDay) < 0)
            .GroupBy(o => o.Text("purchased_at")![..7]).ToDictionary(g => g.Key, g => g.Count());
        return returns.Keys.Union(orders.Keys).Select(month =>
        {
            var list = returns.GetValueOrDefault(month) ?? [];
            var ordered = orders.GetValueOrDefault(month);
            return new ExpectedPoint(Dims(("month", month)), new()
            {
                ["returns"] = list.Count, ["orders"] = ordered, ["return_rate"] = Percent(list.Count, ordered),
            }, list.Select(r => r.Id).ToHashSet());
        }).ToList();
    }

    /// <summary>Hours stayed per return_flow step and month of the request; a stay not over yet counts as a visit without hours.</summary>
    private static List<ExpectedPoint> StageDurations(RecordsSnapshot s) =>
        s.ReturnVisits.Where(v => InPreviousYear(s, v.RecordCreatedAt)).GroupBy(v => (Month: Month(v.RecordCreatedAt), v.Step)).Select(g => new ExpectedPoint(
            Dims(("month", g.Key.Month), ("step", g.Key.Step)),
            new()
            {
                ["hours"] = Average(g.Where(v => v.LeftAt is not null).Select(v => (decimal?)Hours(v.EnteredAt, v.LeftAt!.Value))), ["visits"] = g.Count(),
            },
            g.Select(v => v.RecordId).ToHashSet())).ToList();

    /// <summary>Per engineer of a dispatched request: closed jobs, hours from creation to closing, and the CSAT of the feedback on their jobs.</summary>
    private static List<ExpectedPoint> EngineerPerformance(RecordsSnapshot s)
    {
        var jobs = s.Tickets.Where(t => t.Text("engineer") is { Length: > 0 }).GroupBy(t => t.Text("engineer")!).ToDictionary(g => g.Key, g => g.ToList());
        var ratings = s.Feedback
            .Select(f => (Engineer: f.Text("service_request") is { } id && Guid.TryParse(id, out var ticket) && s.AllTickets.TryGetValue(ticket, out var t) ? t.Text("engineer") : null, Rating: f.Number("rating")))
            .Where(x => x.Engineer is { Length: > 0 })
            .GroupBy(x => x.Engineer!)
            .ToDictionary(g => g.Key, g => Average(g.Select(x => x.Rating)));
        return jobs.Keys.Union(ratings.Keys).Select(engineer =>
        {
            var closed = (jobs.GetValueOrDefault(engineer) ?? []).Where(t => t.Text("status") == "closed").ToList();
            return new ExpectedPoint(Dims(("engineer", engineer)), new()
            {
                ["closed"] = closed.Count,
                ["avg_hours"] = Average(closed.Where(t => t.FlowEndedAt is not null).Select(t => (decimal?)Hours(t.CreatedAt, t.FlowEndedAt!.Value)), scale: 1),
                ["csat"] = ratings.GetValueOrDefault(engineer),
            }, closed.Select(t => t.Id).ToHashSet());
        }).ToList();
    }

    private static string? Category(RecordsSnapshot s, RawRecord request) =>
        request.Text("product") is { } id && Guid.TryParse(id, out var product) && s.Products.TryGetValue(product, out var p) ? p.Text("category") : null;

    private static List<ExpectedPoint> Group(IEnumerable<RawRecord> records, Func<RawRecord, Dictionary<string, string?>> dimensions, Func<List<RawRecord>, Dictionary<string, decimal?>> measures) =>
        records.Select(r => (Dims: dimensions(r), Record: r))
            .GroupBy(x => string.Join("\u0001", x.Dims.Values.Select(v => v ?? "\u0000")))
            .Select(g =>
            {
                var list = g.Select(x => x.Record).ToList();
                return new ExpectedPoint(g.First().Dims, measures(list), list.Select(r => r.Id).ToHashSet());
            })
            .ToList();

    private static Dictionary<string, string?> Dims(params (string Key, string? Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    /// <summary>Whether <paramref name="at"/> falls in the twelve whole months before the snapshot's month (the trends' <c>previous 12m</c>).</summary>
    private static bool InPreviousYear(RecordsSnapshot s, DateTimeOffset at)
    {
        var local = s.Now.ToOffset(China);
        var end = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, China);
        return at >= end.AddMonths(-12) && at < end;
    }

    private static string Month(DateTimeOffset at) => at.ToOffset(China).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static decimal Hours(DateTimeOffset from, DateTimeOffset to) => (decimal)(to - from).Ticks / TimeSpan.TicksPerHour;

    private static decimal? Sum(IEnumerable<decimal?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        return present.Count == 0 ? null : present.Sum();
    }

    private static decimal? Average(IEnumerable<decimal?> values, int scale = 2)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : Math.Round(present.Sum() / present.Count, scale, MidpointRounding.AwayFromZero);
    }

    private static decimal? Average(IEnumerable<decimal> values) => Average(values.Select(v => (decimal?)v));

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole * 100, 2, MidpointRounding.AwayFromZero);
}
