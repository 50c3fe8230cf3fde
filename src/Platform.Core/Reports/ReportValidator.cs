using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// Checks report and dashboard definitions against the app's metadata and reports every problem at its JSON
/// path: keys, sources, field paths, buckets, measure kinds and their fields, ratios, filters and their values,
/// viewer parameters, sorts, charts, rollup eligibility and schedules.
/// </summary>
public static partial class ReportValidator
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();

    public static IReadOnlyList<DefinitionProblem> Validate(AppDefinition app)
    {
        var problems = new List<DefinitionProblem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < app.Reports.Count; i++)
        {
            var path = $"$.reports[{i}]";
            var report = app.Reports[i];
            if (report.Key is not null && Key().IsMatch(report.Key) && !keys.Add(report.Key))
            {
                problems.Add(new DefinitionProblem($"{path}.key", $"报表标识 '{report.Key}' 重复"));
            }

            problems.AddRange(ValidateReport(app, report, path));
        }

        var dashboardKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < app.Dashboards.Count; i++)
        {
            ValidateDashboard(app, app.Dashboards[i], $"$.dashboards[{i}]", dashboardKeys, problems);
        }

        return problems;
    }

    /// <summary>Checks one report (as when it is published alone).</summary>
    public static IReadOnlyList<DefinitionProblem> ValidateReport(AppDefinition app, ReportDefinition report, string path)
    {
        var problems = new List<DefinitionProblem>();
        void Add(string at, string message) => problems.Add(new DefinitionProblem(at, message));

        if (!Key().IsMatch(report.Key ?? string.Empty))
        {
            Add($"{path}.key", $"报表标识 '{report.Key}' 无效：须为小写字母开头的 snake_case");
        }

        if (string.IsNullOrWhiteSpace(report.Name))
        {
            Add($"{path}.name", "报表名称不能为空");
        }

        var root = Root(app, report, path, Add);
        if (root is null)
        {
            return problems;
        }

        var visits = report.Flow is not null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (report.Dimensions.Count > ReportKinds.MaxDimensions)
        {
            Add($"{path}.dimensions", $"维度最多 {ReportKinds.MaxDimensions} 个");
        }

        for (var i = 0; i < report.Dimensions.Count; i++)
        {
            var dimension = report.Dimensions[i];
            var at = $"{path}.dimensions[{i}]";
            CheckName(dimension.Key, $"{at}.key", names, Add);
            var resolved = Resolve(app, root, dimension.Field, visits, $"{at}.field", Add);
            if (resolved is null)
            {
                continue;
            }

            if (resolved.Kind == ReportValueKind.List)
            {
                Add($"{at}.field", $"'{dimension.Field}' 是多值字段，不能作为维度");
            }

            if (dimension.Bucket is { } bucket)
            {
                if (!ReportKinds.Buckets.Contains(bucket))
                {
                    Add($"{at}.bucket", $"未知的时间粒度 '{bucket}'：可用 {string.Join(", ", ReportKinds.Buckets)}");
                }
                else if (!resolved.IsDateLike)
                {
                    Add($"{at}.bucket", $"'{dimension.Field}' 不是日期字段，不能按 {bucket} 分组");
                }
            }
        }

        if (report.Measures.Count == 0)
        {
            Add($"{path}.measures", "报表至少需要一个指标");
        }

        for (var i = 0; i < report.Measures.Count; i++)
        {
            CheckMeasure(app, report, root, visits, report.Measures[i], $"{path}.measures[{i}]", names, Add);
        }

        for (var i = 0; i < report.Filters.Count; i++)
        {
            CheckFilter(app, root, visits, report.Filters[i], $"{path}.filters[{i}]", Add);
        }

        var parameterKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < report.Parameters.Count; i++)
        {
            var parameter = report.Parameters[i];
            var at = $"{path}.parameters[{i}]";
            if (!Key().IsMatch(parameter.Key ?? string.Empty))
            {
                Add($"{at}.key", $"参数标识 '{parameter.Key}' 无效");
            }
            else if (!parameterKeys.Add(parameter.Key!))
            {
                Add($"{at}.key", $"参数标识 '{parameter.Key}' 重复");
            }

            if (!ReportKinds.ParameterOps.Contains(parameter.Op))
            {
                Add($"{at}.op", $"未知的参数运算符 '{parameter.Op}'：可用 {string.Join(", ", ReportKinds.ParameterOps)}");
            }

            var resolved = Resolve(app, root, parameter.Field, visits, $"{at}.field", Add);
            if (resolved is not null && parameter.Op == "range" && !resolved.IsDateLike && resolved.Kind != ReportValueKind.Number)
            {
                Add($"{at}.op", $"range 只能用于日期或数字字段，'{parameter.Field}' 不是");
            }
            else if (resolved is not null && parameter.Op == "contains" && resolved.Kind is ReportValueKind.Number or ReportValueKind.Boolean)
            {
                // The compiler refuses contains on numbers and booleans whatever the value, so the parameter could never be used.
                Add($"{at}.op", $"contains 不能用于数字或布尔字段 '{parameter.Field}'");
            }
        }

        var measureKeys = report.Measures.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var dimensionKeys = report.Dimensions.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < report.Sort.Count; i++)
        {
            if (!measureKeys.Contains(report.Sort[i].By) && !dimensionKeys.Contains(report.Sort[i].By))
            {
                Add($"{path}.sort[{i}].by", $"排序依据 '{report.Sort[i].By}' 不是本报表的维度或指标");
            }
        }

        if (report.Limit is { } limit && (limit < 1 || limit > ReportKinds.MaxLimit))
        {
            Add($"{path}.limit", $"行数上限须在 1 到 {ReportKinds.MaxLimit} 之间");
        }

        CheckChart(report, path, Add);
        if (report.Rollup && ReportRollupShape.Explain(app, report) is { } notRollable)
        {
            Add($"{path}.rollup", notRollable);
        }

        var scheduleKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < report.Schedules.Count; i++)
        {
            var schedule = report.Schedules[i];
            var at = $"{path}.schedules[{i}]";
            CheckName(schedule.Key, $"{at}.key", scheduleKeys, Add);
            try
            {
                Cronos.CronExpression.Parse(schedule.Cron ?? string.Empty);
            }
            catch (Cronos.CronFormatException e)
            {
                Add($"{at}.cron", $"定时表达式 '{schedule.Cron}' 无效：{e.Message}");
            }

            if (schedule.To.Count == 0 && schedule.Roles.Count == 0)
            {
                Add($"{at}.to", "定时发送至少需要一个收件地址或角色");
            }

            for (var j = 0; j < schedule.To.Count; j++)
            {
                if (!schedule.To[j].Contains('@', StringComparison.Ordinal))
                {
                    Add($"{at}.to[{j}]", $"'{schedule.To[j]}' 不是电子邮件地址");
                }
            }

            if (schedule.Format is not ("xlsx" or "csv"))
            {
                Add($"{at}.format", "附件格式须为 xlsx 或 csv");
            }
        }

        return problems;
    }

    /// <summary>The entity whose records (or whose flow's step visits) the report reads.</summary>
    public static EntityDefinition? RootOf(AppDefinition app, ReportDefinition report) =>
        report.Flow is { } flow ? app.FindEntity(app.FindFlow(flow)?.Entity ?? string.Empty) : app.FindEntity(report.Entity ?? string.Empty);

    /// <summary>Checks a filter value the way the compiler will read it; null when it is fine.</summary>
    public static string? CheckValue(ReportPath path, string op, JsonNode? value)
    {
        switch (op)
        {
            case "empty" or "notEmpty":
                return null;
            case "within" or "previous":
                return path.IsDateLike && value is JsonValue v && v.TryGetValue<string>(out var period) && ReportPeriod.IsValid(period)
                    ? null
                    : $"{op} 需要日期字段和 30d / 8w / 12m / 1y 这样的时长";
            case "in":
                if (value is not JsonArray array || array.Count == 0)
                {
                    return "in 需要一个非空数组";
                }

                foreach (var item in array)
                {
                    if (CheckScalar(path, item) is { } itemError)
                    {
                        return itemError;
                    }
                }

                return null;
            case "contains" when path.Kind is ReportValueKind.Number or ReportValueKind.Boolean:
                return $"contains 不能用于数字或布尔字段 '{path.Text}'";
            case "gt" or "ge" or "lt" or "le" when path.Kind is ReportValueKind.Boolean or ReportValueKind.List:
                return $"比较运算不能用于 '{path.Text}'";
            default:
                return CheckScalar(path, value);
        }
    }

    private static string? CheckScalar(ReportPath path, JsonNode? value)
    {
        if (value is not JsonValue scalar)
        {
            return "值须为一个 JSON 标量";
        }

        if (scalar.TryGetValue<string>(out var text) && text.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold NUL, so no stored value equals or contains it; refused before it reaches SQL.
            return "值不能包含 NUL 字符 / value must not contain NUL";
        }

        return path.Kind switch
        {
            ReportValueKind.Number when scalar.GetValueKind() != JsonValueKind.Number
                && !(scalar.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out _)) => $"'{path.Text}' 需要数字",
            ReportValueKind.Boolean when scalar.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) => $"'{path.Text}' 需要 true 或 false",
            ReportValueKind.Date when !(scalar.TryGetValue<string>(out var d) && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) => $"'{path.Text}' 需要 yyyy-MM-dd 日期",
            ReportValueKind.Instant when !(scalar.TryGetValue<string>(out var t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)) => $"'{path.Text}' 需要 ISO 8601 时间",
            ReportValueKind.Text or ReportValueKind.List when scalar.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number) => $"'{path.Text}' 需要文本",
            _ => null,
        };
    }

    private static EntityDefinition? Root(AppDefinition app, ReportDefinition report, string path, Action<string, string> add)
    {
        if ((report.Entity is null) == (report.Flow is null))
        {
            add($"{path}.entity", "报表须指定 entity（记录）或 flow（流程步骤）之一");
            return null;
        }

        if (report.Flow is { } flowKey)
        {
            var flow = app.FindFlow(flowKey);
            if (flow is null)
            {
                add($"{path}.flow", $"流程 '{flowKey}' 不存在");
                return null;
            }

            return app.FindEntity(flow.Entity ?? string.Empty);
        }

        var entity = app.FindEntity(report.Entity!);
        if (entity is null)
        {
            add($"{path}.entity", $"实体 '{report.Entity}' 不存在");
        }

        return entity;
    }

    private static ReportPath? Resolve(AppDefinition app, EntityDefinition root, string? field, bool visits, string at, Action<string, string> add)
    {
        var resolved = ReportPaths.Resolve(app, root, field, visits, out var error);
        if (resolved is null)
        {
            add(at, error!);
        }

        return resolved;
    }

    private static void CheckName(string? key, string at, HashSet<string> names, Action<string, string> add)
    {
        if (!Key().IsMatch(key ?? string.Empty))
        {
            add(at, $"标识 '{key}' 无效：须为小写字母开头的 snake_case");
        }
        else if (!names.Add(key!))
        {
            add(at, $"标识 '{key}' 重复（维度与指标的标识不能相同）");
        }
    }

    private static void CheckMeasure(
        AppDefinition app, ReportDefinition report, EntityDefinition root, bool visits, ReportMeasure measure, string at, HashSet<string> names, Action<string, string> add)
    {
        CheckName(measure.Key, $"{at}.key", names, add);
        if (!ReportKinds.Measures.Contains(measure.Kind ?? string.Empty))
        {
            add($"{at}.kind", $"未知的指标类型 '{measure.Kind}'：可用 {string.Join(", ", ReportKinds.Measures)}");
            return;
        }

        var source = root;
        var sourceVisits = visits;
        if (measure.Entity is { } other)
        {
            if (measure.Kind == "ratio")
            {
                add($"{at}.entity", "比率指标由其他指标计算，不能指定实体");
                return;
            }

            var otherEntity = app.FindEntity(other);
            if (otherEntity is null)
            {
                add($"{at}.entity", $"实体 '{other}' 不存在");
                return;
            }

            source = otherEntity;
            sourceVisits = false;
            foreach (var dimension in report.Dimensions)
            {
                if (measure.Map is null || !measure.Map.TryGetValue(dimension.Key, out var mapped))
                {
                    add($"{at}.map", $"指标来自实体 '{other}'，须为维度 '{dimension.Key}' 指定对应字段");
                    continue;
                }

                var mappedPath = Resolve(app, otherEntity, mapped, false, $"{at}.map.{dimension.Key}", add);
                var dimensionPath = ReportPaths.Resolve(app, root, dimension.Field, visits, out _);
                if (mappedPath is not null && dimensionPath is not null && dimension.Bucket is not null && !mappedPath.IsDateLike)
                {
                    add($"{at}.map.{dimension.Key}", $"维度 '{dimension.Key}' 按时间分组，'{mapped}' 须为日期字段");
                }
            }

            // A parameter may name its field on the other entity too (region → service_request.region), so a viewer's filter reaches this measure.
            foreach (var (key, mapped) in measure.Map ?? new Dictionary<string, string>())
            {
                if (report.Dimensions.Any(d => d.Key == key))
                {
                    continue;
                }

                if (report.Parameters.All(p => p.Key != key))
                {
                    add($"{at}.map.{key}", $"map 的键 '{key}' 须为报表的维度或参数");
                    continue;
                }

                Resolve(app, otherEntity, mapped, false, $"{at}.map.{key}", add);
            }
        }
        else if (measure.Map is not null)
        {
            add($"{at}.map", "只有来自其他实体的指标才需要 map");
        }

        for (var i = 0; i < measure.Where.Count; i++)
        {
            CheckFilter(app, source, sourceVisits, measure.Where[i], $"{at}.where[{i}]", add);
        }

        switch (measure.Kind)
        {
            case "count":
                if (measure.Field is not null)
                {
                    Resolve(app, source, measure.Field, sourceVisits, $"{at}.field", add);
                }

                break;
            case "distinct":
                {
                    var field = Resolve(app, source, measure.Field, sourceVisits, $"{at}.field", add);
                    if (field?.Kind == ReportValueKind.List)
                    {
                        add($"{at}.field", $"'{measure.Field}' 是多值字段，不能去重计数");
                    }

                    break;
                }

            case "sum" or "avg":
                {
                    var field = Resolve(app, source, measure.Field, sourceVisits, $"{at}.field", add);
                    if (field is not null && field.Kind != ReportValueKind.Number)
                    {
                        add($"{at}.field", $"{measure.Kind} 需要数字字段，'{measure.Field}' 不是");
                    }

                    break;
                }

            case "min" or "max":
                {
                    var field = Resolve(app, source, measure.Field, sourceVisits, $"{at}.field", add);
                    if (field is not null && field.Kind is not (ReportValueKind.Number or ReportValueKind.Date or ReportValueKind.Instant))
                    {
                        add($"{at}.field", $"{measure.Kind} 需要数字或日期字段，'{measure.Field}' 不是");
                    }

                    break;
                }

            case "duration":
                {
                    var from = Resolve(app, source, measure.From, sourceVisits, $"{at}.from", add);
                    var to = Resolve(app, source, measure.To, sourceVisits, $"{at}.to", add);
                    if (from is not null && !from.IsDateLike)
                    {
                        add($"{at}.from", $"'{measure.From}' 不是日期或时间字段");
                    }

                    if (to is not null && !to.IsDateLike)
                    {
                        add($"{at}.to", $"'{measure.To}' 不是日期或时间字段");
                    }

                    if (measure.Unit is { } unit && !ReportKinds.Units.Contains(unit))
                    {
                        add($"{at}.unit", $"未知的时长单位 '{unit}'：可用 minutes, hours, days");
                    }

                    if (measure.Aggregate is { } aggregate && !ReportKinds.DurationAggregates.Contains(aggregate))
                    {
                        add($"{at}.aggregate", $"未知的汇总方式 '{aggregate}'：可用 avg, sum, min, max");
                    }

                    break;
                }

            case "ratio":
                foreach (var (key, name) in new[] { (measure.Numerator, "numerator"), (measure.Denominator, "denominator") })
                {
                    var target = report.Measures.FirstOrDefault(m => m.Key == key);
                    if (target is null)
                    {
                        add($"{at}.{name}", $"比率引用的指标 '{key}' 不存在");
                    }
                    else if (target.Kind == "ratio")
                    {
                        add($"{at}.{name}", $"比率不能引用另一个比率 '{key}'");
                    }
                }

                break;
        }

        if (measure.Scale is { } scale && (scale < 0 || scale > 6))
        {
            add($"{at}.scale", "小数位须在 0 到 6 之间");
        }
    }

    private static void CheckFilter(AppDefinition app, EntityDefinition root, bool visits, ReportFilter filter, string at, Action<string, string> add)
    {
        var resolved = Resolve(app, root, filter.Field, visits, $"{at}.field", add);
        if (!ReportKinds.FilterOps.Contains(filter.Op ?? string.Empty))
        {
            add($"{at}.op", $"未知的运算符 '{filter.Op}'：可用 {string.Join(", ", ReportKinds.FilterOps)}");
            return;
        }

        if (resolved is not null && CheckValue(resolved, filter.Op!, filter.Value) is { } error)
        {
            add($"{at}.value", error);
        }
    }

    private static void CheckChart(ReportDefinition report, string path, Action<string, string> add)
    {
        var kind = report.Chart?.Kind ?? "table";
        if (!ReportKinds.Charts.Contains(kind))
        {
            add($"{path}.chart.kind", $"未知的图表类型 '{kind}'：可用 {string.Join(", ", ReportKinds.Charts)}");
            return;
        }

        var dimensions = report.Dimensions.Count;
        var problem = kind switch
        {
            "kpi" when dimensions > 0 => "指标卡（kpi）不能有维度",
            "pie" or "funnel" when dimensions != 1 => $"{kind} 图须恰好有一个维度",
            "line" or "bar" when dimensions is < 1 or > 2 => $"{kind} 图须有一到两个维度",
            "stacked-bar" or "pivot" when dimensions != 2 => $"{kind} 须有两个维度（第二个维度为系列）",
            _ => null,
        };
        if (problem is not null)
        {
            add($"{path}.chart.kind", problem);
        }
    }

    private static void ValidateDashboard(AppDefinition app, DashboardDefinition dashboard, string path, HashSet<string> keys, List<DefinitionProblem> problems)
    {
        void Add(string at, string message) => problems.Add(new DefinitionProblem(at, message));
        if (!Key().IsMatch(dashboard.Key ?? string.Empty))
        {
            Add($"{path}.key", $"仪表盘标识 '{dashboard.Key}' 无效");
        }
        else if (!keys.Add(dashboard.Key!))
        {
            Add($"{path}.key", $"仪表盘标识 '{dashboard.Key}' 重复");
        }

        if (string.IsNullOrWhiteSpace(dashboard.Name))
        {
            Add($"{path}.name", "仪表盘名称不能为空");
        }

        var widgetKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dashboard.Widgets.Count; i++)
        {
            var widget = dashboard.Widgets[i];
            var at = $"{path}.widgets[{i}]";
            CheckName(widget.Key, $"{at}.key", widgetKeys, Add);
            if (app.Reports.All(r => r.Key != widget.Report))
            {
                Add($"{at}.report", $"报表 '{widget.Report}' 不存在");
            }

            if (widget.Chart is { } chart && !ReportKinds.Charts.Contains(chart))
            {
                Add($"{at}.chart", $"未知的图表类型 '{chart}'");
            }

            if (widget.X < 0 || widget.Y < 0 || widget.W < 1 || widget.H < 1 || widget.X + widget.W > 12)
            {
                Add($"{at}.w", "部件须在 12 列网格之内（x ≥ 0，w ≥ 1，x + w ≤ 12）");
            }
        }

        var filterKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dashboard.Filters.Count; i++)
        {
            var filter = dashboard.Filters[i];
            var at = $"{path}.filters[{i}]";
            CheckName(filter.Key, $"{at}.key", filterKeys, Add);
            if (filter.Kind is not ("range" or "select"))
            {
                Add($"{at}.kind", "筛选类型须为 range 或 select");
            }

            if (filter.Entity is not null || filter.Field is not null)
            {
                var entity = app.FindEntity(filter.Entity ?? string.Empty);
                if (entity is null)
                {
                    Add($"{at}.entity", $"实体 '{filter.Entity}' 不存在");
                }
                else if (entity.FindField(filter.Field ?? string.Empty) is null)
                {
                    Add($"{at}.field", $"实体 '{entity.Key}' 中没有字段 '{filter.Field}'");
                }
            }
        }
    }
}
