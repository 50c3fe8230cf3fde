using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Bench;

/// <summary>
/// Deterministic service tickets for the reports benchmark (same seed → same rows for the same end day): created
/// times over the 365 days before <c>endDay</c> with growth, seasonality (summer air conditioners, winter water
/// heaters, the 618 and Double 11 peaks, Spring Festival dip), fewer tickets at weekends and at night; region,
/// category, priority and channel skewed like a real after-sales desk; status by age; acceptance, resolution,
/// ratings and amounts that depend on priority, category and outcome. Rows leave in created order (as a live
/// system writes them) and are loaded with binary COPY.
/// </summary>
internal sealed class TicketData
{
    public const string App = "ticket_bench";
    public const string Entity = "ticket";

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static readonly (string Key, double Weight)[] Regions = [("east", 30), ("south", 24), ("north", 18), ("central", 12), ("west", 10), ("northeast", 6)];
    private static readonly string[] Categories = ["aircon", "fridge", "washer", "tv", "water_heater", "kitchen", "small", "phone"];
    private static readonly double[] CategoryBase = [16, 14, 15, 10, 9, 12, 14, 10];
    private static readonly (string Key, double Weight)[] Priorities = [("low", 15), ("normal", 55), ("high", 22), ("urgent", 8)];
    private static readonly (string Key, double Weight)[] Channels = [("phone", 35), ("wechat", 30), ("app", 20), ("web", 10), ("store", 5)];
    private static readonly double[] HourWeights = [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2, 4, 6, 7, 6.5, 5, 5.5, 6, 6, 5.5, 5, 5, 6, 6.5, 5, 3, 1];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂英", "建华", "志强", "海燕", "晓东", "文博"];
    private static readonly string[] Staff = ["cs01", "cs02", "cs03", "cs04", "cs05", "cs06", "cs07", "cs08", "sup01", "sup02"];

    private static readonly Dictionary<string, string[]> Problems = new()
    {
        ["aircon"] = ["空调不制冷", "空调漏水", "空调异响", "空调移机安装", "外机不启动"],
        ["fridge"] = ["冰箱不制冷", "冷冻室结霜", "冰箱噪音大", "门封条老化"],
        ["washer"] = ["洗衣机不脱水", "洗衣机漏水", "滚筒异响", "程序无法启动"],
        ["tv"] = ["电视黑屏", "遥控失灵", "画面条纹", "挂架安装"],
        ["water_heater"] = ["热水器不加热", "热水器漏水", "点火失败", "水温不稳定"],
        ["kitchen"] = ["油烟机吸力弱", "燃气灶打不着火", "洗碗机不排水", "蒸烤箱报错"],
        ["small"] = ["电饭煲不加热", "扫地机器人不回充", "吸尘器吸力下降", "净水器滤芯更换"],
        ["phone"] = ["屏幕碎裂", "电池鼓包", "充电慢", "系统卡顿"],
    };

    private readonly DateOnly endDay;
    private readonly int[] perDay;

    /// <summary>Spreads <paramref name="count"/> tickets over the 365 days ending the day before <paramref name="endDay"/>.</summary>
    public TicketData(int count, DateOnly endDay)
    {
        this.endDay = endDay;
        var weights = new double[365];
        for (var d = 0; d < 365; d++)
        {
            weights[d] = DayWeight(FirstDay.AddDays(d), d);
        }

        var total = weights.Sum();
        perDay = weights.Select(w => (int)Math.Floor(count * w / total)).ToArray();
        var missing = count - perDay.Sum();
        for (var d = 364; missing > 0; d = d == 0 ? 364 : d - 1, missing--)
        {
            perDay[d]++;
        }
    }

    public DateOnly FirstDay => endDay.AddDays(-365);

    private DateTimeOffset End => new(endDay.ToDateTime(TimeOnly.MinValue), China);

    /// <summary>The first <paramref name="count"/> tickets of the stream as record data (to check them against the runtime's validator).</summary>
    public IEnumerable<string> Sample(int seed, int count)
    {
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(2048);
        for (var i = 0; i < count; i++)
        {
            var created = new DateTimeOffset(FirstDay.ToDateTime(TimeOnly.MinValue), China).AddMinutes(i);
            buffer.ResetWrittenCount();
            Generate(random, created, FirstDay, i, End).Write(buffer);
            yield return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>Writes every ticket with binary COPY in chunks (each chunk one COPY, one transaction); returns rows/s.</summary>
    public async Task<double> CopyAsync(NpgsqlDataSource dataSource, int definitionVersion, int seed, Action<int> progress)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(seed);
        var written = 0;
        const int Chunk = 100_000;
        NpgsqlConnection? connection = null;
        NpgsqlBinaryImporter? importer = null;
        var buffer = new ArrayBufferWriter<byte>(2048);
        try
        {
            for (var d = 0; d < 365; d++)
            {
                var day = FirstDay.AddDays(d);
                var times = new long[perDay[d]];
                for (var i = 0; i < times.Length; i++)
                {
                    var hour = Pick(random, HourWeights);
                    times[i] = (hour * 3600L + random.Next(3600)) * 1000 + random.Next(1000);
                }

                Array.Sort(times);
                foreach (var ms in times)
                {
                    if (importer is null)
                    {
                        connection = await dataSource.OpenConnectionAsync();
                        importer = await connection.BeginBinaryImportAsync(
                            "copy records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) from stdin (format binary)");
                    }

                    var created = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), China).AddMilliseconds(ms);
                    var ticket = Generate(random, created, day, written, End);
                    buffer.ResetWrittenCount();
                    ticket.Write(buffer);
                    await importer.StartRowAsync();
                    await importer.WriteAsync(UuidV7(created, random), NpgsqlDbType.Uuid);
                    await importer.WriteAsync(App, NpgsqlDbType.Text);
                    await importer.WriteAsync(Entity, NpgsqlDbType.Text);
                    await importer.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan), NpgsqlDbType.Jsonb);
                    await importer.WriteAsync(ticket.Version, NpgsqlDbType.Integer);
                    await importer.WriteAsync(definitionVersion, NpgsqlDbType.Integer);
                    await importer.WriteAsync(created.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(ticket.CreatedBy, NpgsqlDbType.Text);
                    await importer.WriteAsync(ticket.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(ticket.UpdatedBy, NpgsqlDbType.Text);
                    written++;
                    if (written % Chunk == 0)
                    {
                        await importer.CompleteAsync();
                        await importer.DisposeAsync();
                        importer = null;
                        await connection!.DisposeAsync();
                        connection = null;
                        progress(written);
                    }
                }
            }

            if (importer is not null)
            {
                await importer.CompleteAsync();
            }
        }
        finally
        {
            if (importer is not null)
            {
                await importer.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return written / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The data of a ticket opened now (status new), for the insert-rate phases.</summary>
    public static string NewTicketJson(Random random, int n)
    {
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        var ticket = Generate(random, now, DateOnly.FromDateTime(now.DateTime), n, now, forceNew: true);
        var buffer = new ArrayBufferWriter<byte>(1024);
        ticket.Write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Ticket Generate(Random random, DateTimeOffset created, DateOnly day, int n, DateTimeOffset end, bool forceNew = false)
    {
        var month = day.Month;
        var categoryWeights = new double[Categories.Length];
        for (var c = 0; c < Categories.Length; c++)
        {
            categoryWeights[c] = CategoryBase[c] * Categories[c] switch
            {
                "aircon" => month is 6 or 7 or 8 ? 3.2 : month is 5 or 9 ? 1.6 : month is 12 or 1 ? 1.2 : 0.6,
                "water_heater" => month is 12 or 1 or 2 ? 2.6 : month is 11 or 3 ? 1.5 : 0.6,
                "fridge" => month is 7 or 8 ? 1.4 : 1,
                "phone" or "tv" or "small" => month is 11 or 6 ? 1.5 : 1,
                _ => 1,
            };
        }

        var category = Categories[Pick(random, categoryWeights)];
        var region = Regions[Pick(random, Regions)].Key;
        var priority = Priorities[Pick(random, Priorities)].Key;
        var channel = Channels[Pick(random, Channels)].Key;
        var ageDays = (end - created).TotalDays;
        var status = forceNew ? "new" : Status(random, ageDays);

        DateTimeOffset? accepted = null;
        if (status != "new" && !(status == "cancelled" && random.NextDouble() < 0.5))
        {
            var medianMinutes = priority switch { "urgent" => 8.0, "high" => 18.0, "normal" => 35.0, _ => 70.0 };
            if (region is "west" or "northeast")
            {
                medianMinutes *= 1.6;
            }

            accepted = created.AddMinutes(Math.Min(LogNormal(random, medianMinutes, 0.9), 60 * 48));
        }

        var breached = accepted is { } a && (a - created).TotalMinutes > priority switch { "urgent" => 30, "high" => 60, "normal" => 120, _ => 480 };
        DateTimeOffset? resolved = null;
        bool? firstFix = null;
        int? rating = null;
        if (status is "resolved" or "closed" && accepted is { } acc)
        {
            var days = LogNormal(random, category is "aircon" or "fridge" or "washer" ? 1.6 : 1.0, 0.8);
            resolved = acc.AddHours(days * 24);
            firstFix = random.NextDouble() < (category is "phone" or "small" ? 0.86 : category == "aircon" ? 0.7 : 0.78);
            breached |= days > 5;
            if (status == "closed" && random.NextDouble() < 0.62)
            {
                var p = random.NextDouble() + (firstFix == true ? 0.18 : -0.2) - (breached ? 0.25 : 0);
                rating = p switch { > 0.55 => 5, > 0.22 => 4, > 0.08 => 3, > -0.05 => 2, _ => 1 };
            }
        }

        decimal amount = 0;
        if (random.NextDouble() > (category is "phone" ? 0.3 : 0.45))
        {
            var median = category switch { "aircon" => 320.0, "fridge" => 280.0, "washer" => 220.0, "tv" => 260.0, "water_heater" => 180.0, "kitchen" => 200.0, "phone" => 450.0, _ => 90.0 };
            amount = Math.Round((decimal)LogNormal(random, median, 0.7), 2);
        }

        var problems = Problems[category];
        var problem = problems[random.Next(problems.Length)];
        var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
        var updated = resolved ?? accepted ?? created;
        if (status == "closed")
        {
            updated = updated.AddHours(1 + random.Next(48));
        }

        return new Ticket
        {
            TicketNo = $"T{day:yyyyMMdd}{n % 100_000:00000}",
            Subject = problem,
            CustomerName = name,
            Phone = $"1{3 + random.Next(7)}{random.Next(100_000_000, 999_999_999)}",
            Region = region,
            Category = category,
            Priority = priority,
            Status = status,
            Channel = channel,
            Amount = amount,
            Rating = rating,
            AcceptedAt = accepted,
            ResolvedAt = resolved,
            SlaBreached = breached,
            FirstTimeFix = firstFix,
            Description = $"客户通过{channel switch { "phone" => "电话", "wechat" => "微信", "app" => "App", "web" => "网页", _ => "门店" }}反映：{problem}，购买约 {1 + random.Next(60)} 个月，{(random.NextDouble() < 0.5 ? "希望尽快上门处理" : "已自行重启无效，请安排工程师")}。",
            CreatedBy = Staff[random.Next(Staff.Length)],
            UpdatedBy = status is "new" ? "cs01" : Staff[random.Next(Staff.Length)],
            UpdatedAt = updated < created ? created : updated,
            Version = status switch { "new" => 1, "assigned" => 2, "in_progress" or "waiting_parts" => 3, "cancelled" => 2, "resolved" => 4, _ => 5 },
        };
    }

    private static string Status(Random random, double ageDays)
    {
        var x = random.NextDouble();
        if (x < 0.05)
        {
            return "cancelled";
        }

        // Open tickets thin out with age: most close within a week, a tail waits for parts.
        var open = ageDays < 1 ? 0.9 : ageDays < 3 ? 0.55 : ageDays < 7 ? 0.3 : ageDays < 30 ? 0.08 : ageDays < 90 ? 0.02 : 0.004;
        var y = random.NextDouble();
        if (y < open)
        {
            var z = random.NextDouble() * Math.Min(1, 0.4 + ageDays / 5);
            return z < 0.15 ? "new" : z < 0.4 ? "assigned" : z < 0.8 ? "in_progress" : "waiting_parts";
        }

        return random.NextDouble() < (ageDays < 14 ? 0.5 : 0.12) ? "resolved" : "closed";
    }

    private static double DayWeight(DateOnly day, int index)
    {
        var growth = 0.85 + 0.3 * index / 364.0;
        var season = day.Month switch { 1 => 1.05, 2 => 0.75, 3 => 0.9, 4 => 0.95, 5 => 1.05, 6 => 1.25, 7 => 1.45, 8 => 1.4, 9 => 1.05, 10 => 0.95, 11 => 1.2, _ => 1.1 };
        var peak = (day.Month, day.Day) switch
        {
            (6, >= 18 and <= 25) => 1.35,
            (11, >= 11 and <= 18) => 1.5,
            _ => 1,
        };
        var weekday = day.DayOfWeek switch { DayOfWeek.Saturday => 0.8, DayOfWeek.Sunday => 0.7, DayOfWeek.Monday => 1.15, _ => 1 };
        return growth * season * peak * weekday;
    }

    private static double LogNormal(Random random, double median, double sigma)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }

    private static int Pick(Random random, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static int Pick(Random random, (string Key, double Weight)[] items) => Pick(random, items.Select(i => i.Weight).ToArray());

    /// <summary>A version 7 UUID for the created time, its random bits from the seeded generator.</summary>
    private static Guid UuidV7(DateTimeOffset created, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = created.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0f));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3f));
        return new Guid(bytes, bigEndian: true);
    }

    private sealed class Ticket
    {
        public required string TicketNo { get; init; }

        public required string Subject { get; init; }

        public required string CustomerName { get; init; }

        public required string Phone { get; init; }

        public required string Region { get; init; }

        public required string Category { get; init; }

        public required string Priority { get; init; }

        public required string Status { get; init; }

        public required string Channel { get; init; }

        public decimal Amount { get; init; }

        public int? Rating { get; init; }

        public DateTimeOffset? AcceptedAt { get; init; }

        public DateTimeOffset? ResolvedAt { get; init; }

        public bool SlaBreached { get; init; }

        public bool? FirstTimeFix { get; init; }

        public required string Description { get; init; }

        public required string CreatedBy { get; init; }

        public required string UpdatedBy { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public int Version { get; init; }

        /// <summary>The record data as the runtime stores it: money with two decimals, date-times in UTC with milliseconds.</summary>
        public void Write(IBufferWriter<byte> output)
        {
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            json.WriteString("ticket_no", TicketNo);
            json.WriteString("subject", Subject);
            json.WriteString("customer_name", CustomerName);
            json.WriteString("phone", Phone);
            json.WriteString("region", Region);
            json.WriteString("category", Category);
            json.WriteString("priority", Priority);
            json.WriteString("status", Status);
            json.WriteString("channel", Channel);
            json.WritePropertyName("amount");
            Platform.Core.Forms.Types.NumericFieldType.ToJson(Amount).WriteTo(json);
            if (Rating is { } rating)
            {
                json.WriteNumber("rating", rating);
            }

            if (AcceptedAt is { } accepted)
            {
                json.WriteString("accepted_at", Iso(accepted));
            }

            if (ResolvedAt is { } resolved)
            {
                json.WriteString("resolved_at", Iso(resolved));
            }

            json.WriteBoolean("sla_breached", SlaBreached);
            if (FirstTimeFix is { } fix)
            {
                json.WriteBoolean("first_time_fix", fix);
            }

            json.WriteString("description", Description);
            json.WriteEndObject();
        }

        private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
    }
}
