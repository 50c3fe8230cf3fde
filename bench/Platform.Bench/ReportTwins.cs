namespace Platform.Bench;

/// <summary>
/// Hand-written SQL giving the same rows as each report of reports-bench-app.json, the way a developer would write
/// it for this one entity: once over the records (<c>@start</c> = start of the 12-month window, China time) and
/// once over the entity's report projection, and once over the report's daily rollup rows (<c>@startDay</c>). Columns: dimensions, then measures, in the report's order.
/// </summary>
internal static class ReportTwins
{
    private const string Records = "from records where app_key = 'ticket_bench' and entity_key = 'ticket'";
    private const string Month = "to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM')";

    /// <summary>
    /// The projection keeps the local month of createdAt (<c>b_created_at_month</c>, the month's first day as a date); grouped by
    /// it (the text is a function of it, so PostgreSQL formats it per group), as a developer who knows the table would write it.
    /// </summary>
    private const string LocalMonth = "to_char(b_created_at_month::timestamp, 'YYYY-MM')";

    public static readonly IReadOnlyDictionary<string, string> Raw = new Dictionary<string, string>
    {
        ["tickets_monthly"] = $"""
            select {Month} as month, count(*) as tickets, round(sum((data->>'amount')::numeric), 2) as amount
            {Records} and created_at >= @start
            group by 1 order by 1
            """,
        ["tickets_by_region"] = $"""
            select data->>'region' as region, count(*) as tickets, round(avg((data->>'amount')::numeric), 2) as avg_amount
            {Records}
            group by 1 order by 2 desc
            """,
        ["tickets_by_category"] = $"""
            select data->>'category' as category, count(*) as tickets, round(sum((data->>'amount')::numeric), 2) as amount, round(avg((data->>'rating')::numeric), 2) as csat
            {Records}
            group by 1 order by 2 desc
            """,
        ["status_mix"] = $"""
            select data->>'status' as status, count(*) as tickets
            {Records}
            group by 1 order by 1
            """,
        ["region_month"] = $"""
            select {Month} as month, data->>'region' as region, count(*) as tickets
            {Records} and created_at >= @start
            group by 1, 2 order by 1, 2
            """,
        ["sla_breach_rate"] = $"""
            select month, breached, tickets, round(breached * 100.0 / nullif(tickets, 0), 2) as rate
            from (select {Month} as month, count(*) filter (where data->>'sla_breached' = 'true') as breached, count(*) as tickets
                  {Records}
                  group by 1) m
            order by 1
            """,
        ["first_fix_by_category"] = $"""
            select category, fixed, resolved, round(fixed * 100.0 / nullif(resolved, 0), 2) as rate
            from (select data->>'category' as category,
                         count(*) filter (where data->>'first_time_fix' = 'true') as fixed,
                         count(*) filter (where data->>'status' in ('resolved', 'closed')) as resolved
                  {Records}
                  group by 1) c
            order by 1
            """,
        ["csat_by_region"] = $"""
            select data->>'region' as region, round(avg((data->>'rating')::numeric), 2) as csat, count(data->>'rating') as rated
            {Records}
            group by 1 order by 1
            """,
        ["priority_amounts"] = $"""
            select data->>'priority' as priority, count(*) as tickets, round(sum((data->>'amount')::numeric), 2) as amount, round(avg((data->>'amount')::numeric), 2) as avg_amount
            {Records} and data->>'status' <> 'cancelled'
            group by 1 order by 1
            """,
    };

    /// <summary>
    /// The same nine over the entity's report projection (<c>{table}</c>: one row per ticket, typed columns <c>f_&lt;field&gt;</c>),
    /// the way a developer would write them against that narrow table (month buckets from its local-time column).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Projected(string table) => new Dictionary<string, string>
    {
        [Dashboard] = ProjectedDashboard(table),
        ["tickets_monthly"] = $"""
            select {LocalMonth} as month, count(*) as tickets, round(sum(f_amount), 2) as amount
            from {table} where created_at >= @start
            group by b_created_at_month order by 1
            """,
        ["tickets_by_region"] = $"""
            select f_region as region, count(*) as tickets, round(avg(f_amount), 2) as avg_amount
            from {table}
            group by 1 order by 2 desc
            """,
        ["tickets_by_category"] = $"""
            select f_category as category, count(*) as tickets, round(sum(f_amount), 2) as amount, round(avg(f_rating), 2) as csat
            from {table}
            group by 1 order by 2 desc
            """,
        ["status_mix"] = $"""
            select f_status as status, count(*) as tickets
            from {table}
            group by 1 order by 1
            """,
        ["region_month"] = $"""
            select {LocalMonth} as month, f_region as region, count(*) as tickets
            from {table} where created_at >= @start
            group by b_created_at_month, 2 order by 1, 2
            """,
        ["sla_breach_rate"] = $"""
            select month, breached, tickets, round(breached * 100.0 / nullif(tickets, 0), 2) as rate
            from (select {LocalMonth} as month, count(*) filter (where f_sla_breached) as breached, count(*) as tickets
                  from {table}
                  group by b_created_at_month) m
            order by 1
            """,
        ["first_fix_by_category"] = $"""
            select category, fixed, resolved, round(fixed * 100.0 / nullif(resolved, 0), 2) as rate
            from (select f_category as category,
                         count(*) filter (where f_first_time_fix) as fixed,
                         count(*) filter (where f_status in ('resolved', 'closed')) as resolved
                  from {table}
                  group by 1) c
            order by 1
            """,
        ["csat_by_region"] = $"""
            select f_region as region, round(avg(f_rating), 2) as csat, count(f_rating) as rated
            from {table}
            group by 1 order by 1
            """,
        ["priority_amounts"] = $"""
            select f_priority as priority, count(*) as tickets, round(sum(f_amount), 2) as amount, round(avg(f_amount), 2) as avg_amount
            from {table} where f_status <> 'cancelled'
            group by 1 order by 1
            """,
    };

    /// <summary>The key under which <see cref="Projected"/> holds <see cref="ProjectedDashboard"/>: the nine widgets in one statement.</summary>
    public const string Dashboard = "*dashboard";

    /// <summary>
    /// The nine widgets from ONE scan of the projection, by hand: the rows aggregated once by (month, region, category, status,
    /// priority) with every additive part the widgets need (under a widget's own filter as a FILTER), then each widget from that
    /// grain as a JSON array column (<c>w0</c>…<c>w8</c>, in the dashboard's widget order). Run with work_mem raised like the engine's.
    /// </summary>
    public static string ProjectedDashboard(string table) => $"""
        with f as materialized (
          select b_created_at_month as month, f_region as region, f_category as category, f_status as status, f_priority as priority,
                 count(*) as n, count(*) filter (where created_at >= @start) as n_start, sum(f_amount) filter (where created_at >= @start) as amount_start,
                 count(*) filter (where f_sla_breached) as breached, count(*) filter (where f_first_time_fix) as fixed,
                 count(*) filter (where f_status in ('resolved', 'closed')) as resolved,
                 sum(f_amount) as amount, count(f_amount) as amount_n, sum(f_rating) as rating, count(f_rating) as rating_n,
                 count(*) filter (where f_status <> 'cancelled') as n_open, sum(f_amount) filter (where f_status <> 'cancelled') as amount_open,
                 count(f_amount) filter (where f_status <> 'cancelled') as amount_open_n
          from {table} group by 1, 2, 3, 4, 5)
        select
          (select json_agg(x order by x.month) from (select {LocalMonth.Replace("b_created_at_month", "f.month", StringComparison.Ordinal)} as month, sum(n_start)::bigint as tickets, round(sum(amount_start), 2) as amount from f group by f.month having sum(n_start) > 0) x) as w0,
          (select json_agg(x order by x.tickets desc, x.region) from (select region, sum(n)::bigint as tickets, round(sum(amount) / nullif(sum(amount_n), 0), 2) as avg_amount from f group by region) x) as w1,
          (select json_agg(x order by x.tickets desc, x.category) from (select category, sum(n)::bigint as tickets, round(sum(amount), 2) as amount, round(sum(rating) / nullif(sum(rating_n), 0), 2) as csat from f group by category) x) as w2,
          (select json_agg(x order by x.status) from (select status, sum(n)::bigint as tickets from f group by status) x) as w3,
          (select json_agg(x order by x.month, x.region) from (select {LocalMonth.Replace("b_created_at_month", "f.month", StringComparison.Ordinal)} as month, region, sum(n_start)::bigint as tickets from f group by f.month, region having sum(n_start) > 0) x) as w4,
          (select json_agg(x order by x.month) from (select month, breached, tickets, round(breached * 100.0 / nullif(tickets, 0), 2) as rate
             from (select {LocalMonth.Replace("b_created_at_month", "f.month", StringComparison.Ordinal)} as month, sum(breached)::bigint as breached, sum(n)::bigint as tickets from f group by f.month) m) x) as w5,
          (select json_agg(x order by x.category) from (select category, fixed, resolved, round(fixed * 100.0 / nullif(resolved, 0), 2) as rate
             from (select category, sum(fixed)::bigint as fixed, sum(resolved)::bigint as resolved from f group by category) c) x) as w6,
          (select json_agg(x order by x.region) from (select region, round(sum(rating) / nullif(sum(rating_n), 0), 2) as csat, sum(rating_n)::bigint as rated from f group by region) x) as w7,
          (select json_agg(x order by x.priority) from (select priority, sum(n_open)::bigint as tickets, round(sum(amount_open), 2) as amount, round(sum(amount_open) / nullif(sum(amount_open_n), 0), 2) as avg_amount
             from f group by priority having sum(n_open) > 0) x) as w8
        """;

    /// <summary>
    /// Over the rollups (month or day, grp text[], measure, value): whole months from report_rollup_months, the days of a partial first
    /// month from report_rollups; components are summed across the groups the viewer did not pick.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Rollup = new Dictionary<string, string>
    {
        ["tickets_monthly"] = """
            select to_char(day, 'YYYY-MM') as month, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets, round(sum(value) filter (where measure = 'amount.sum'), 2) as amount
            from (select month as day, grp, measure, value from report_rollup_months where app_key = 'ticket_bench' and report_key = 'tickets_monthly' and month >= @startMonth::date
                  union all select day, grp, measure, value from report_rollups where app_key = 'ticket_bench' and report_key = 'tickets_monthly' and day >= @startDay::date and day < @startMonth::date) r
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 1
            """,
        ["tickets_by_region"] = """
            select grp[1] as region, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets,
                   round(sum(value) filter (where measure = 'avg_amount.sum') / nullif(sum(value) filter (where measure = 'avg_amount.n'), 0), 2) as avg_amount
            from report_rollup_months where app_key = 'ticket_bench' and report_key = 'tickets_by_region'
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 2 desc
            """,
        ["tickets_by_category"] = """
            select grp[1] as category, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets, round(sum(value) filter (where measure = 'amount.sum'), 2) as amount,
                   round(sum(value) filter (where measure = 'csat.sum') / nullif(sum(value) filter (where measure = 'csat.n'), 0), 2) as csat
            from report_rollup_months where app_key = 'ticket_bench' and report_key = 'tickets_by_category'
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 2 desc
            """,
        ["status_mix"] = """
            select grp[1] as status, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets
            from report_rollup_months where app_key = 'ticket_bench' and report_key = 'status_mix'
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 1
            """,
        ["region_month"] = """
            select to_char(day, 'YYYY-MM') as month, grp[1] as region, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets
            from (select month as day, grp, measure, value from report_rollup_months where app_key = 'ticket_bench' and report_key = 'region_month' and month >= @startMonth::date
                  union all select day, grp, measure, value from report_rollups where app_key = 'ticket_bench' and report_key = 'region_month' and day >= @startDay::date and day < @startMonth::date) r
            group by 1, 2 having sum(value) filter (where measure = '_rows') > 0 order by 1, 2
            """,
        ["sla_breach_rate"] = """
            select month, breached, tickets, round(breached::numeric / nullif(tickets, 0) * 100, 2) as rate
            from (select to_char(month, 'YYYY-MM') as month, coalesce(sum(value) filter (where measure = 'breached'), 0)::bigint as breached, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets
                  from report_rollup_months where app_key = 'ticket_bench' and report_key = 'sla_breach_rate'
                  group by 1 having sum(value) filter (where measure = '_rows') > 0) m
            order by 1
            """,
        ["first_fix_by_category"] = """
            select category, fixed, resolved, round(fixed::numeric / nullif(resolved, 0) * 100, 2) as rate
            from (select grp[1] as category, coalesce(sum(value) filter (where measure = 'fixed'), 0)::bigint as fixed, coalesce(sum(value) filter (where measure = 'resolved'), 0)::bigint as resolved
                  from report_rollup_months where app_key = 'ticket_bench' and report_key = 'first_fix_by_category'
                  group by 1 having sum(value) filter (where measure = '_rows') > 0) c
            order by 1
            """,
        ["csat_by_region"] = """
            select grp[1] as region, round(sum(value) filter (where measure = 'csat.sum') / nullif(sum(value) filter (where measure = 'csat.n'), 0), 2) as csat,
                   coalesce(sum(value) filter (where measure = 'rated'), 0)::bigint as rated
            from report_rollup_months where app_key = 'ticket_bench' and report_key = 'csat_by_region'
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 1
            """,
        ["priority_amounts"] = """
            select grp[1] as priority, coalesce(sum(value) filter (where measure = 'tickets'), 0)::bigint as tickets, round(sum(value) filter (where measure = 'amount.sum'), 2) as amount,
                   round(sum(value) filter (where measure = 'avg_amount.sum') / nullif(sum(value) filter (where measure = 'avg_amount.n'), 0), 2) as avg_amount
            from report_rollup_months where app_key = 'ticket_bench' and report_key = 'priority_amounts'
            group by 1 having sum(value) filter (where measure = '_rows') > 0 order by 1
            """,
    };

    /// <summary>
    /// The list page by hand, the tightest form of the same answer: one walk of the matches as ids and sort keys, counted by a
    /// window, the top-N of them, whole rows for the page's ids only; the total in every row.
    /// </summary>
    public const string ListPage = """
        select r.id, r.app_key, r.entity_key, r.data::text, r.version, r.definition_version, r.created_at, r.created_by, r.updated_at, r.updated_by, p.total
        from (select id, k, count(*) over () as total
              from (select id, (data->>'amount')::numeric as k from records
                    where app_key = 'ticket_bench' and entity_key = 'ticket' and data->>'status' = any($1) and data->>'region' = $2 offset 0) m
              order by k desc nulls last, id desc limit 20 offset $3) p
        join records r on r.id = p.id
        order by p.k desc nulls last, p.id desc
        """;
}
