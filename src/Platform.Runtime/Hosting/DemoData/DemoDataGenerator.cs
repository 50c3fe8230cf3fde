using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// Deterministic, realistic demo data for the after-sales template (AFTER-SALES.md volumes): customers,
/// products, orders, returns and service requests over the last 12 months, engineers in 5 regions, spare
/// parts, part usage, feedback, logistics claims, purchase requests and the service provider's technician.
/// Returns, service requests and claims carry the story of their flow (<see cref="DemoFlowPlan"/>, planned by
/// <see cref="DemoFlowPlanner"/>): their status, engineer and acceptance time come from playing it through the flow
/// engine, and what depends on it (part usage during the visit, feedback after the follow-up, engineers' open jobs)
/// follows the same story.
/// Same seed and moment → same values (record ids are fresh).
/// </summary>
public sealed class DemoDataGenerator(AppDefinition app, int seed, DateTimeOffset now)
{
    private static readonly (string Key, DemoCity[] Cities)[] Regions =
        [.. new[] { "east", "south", "north", "central", "west" }.Select(r => (r, DemoCities.Of(r).ToArray()))];

    private static readonly string[] Roads = ["人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "黄河路", "新华路", "文化路", "科技路", "滨江大道", "世纪大道"];

    private static readonly (string No, string Name, int Cost)[] Parts =
    [
        ("压缩机", "变频压缩机", 680), ("冷凝器", "冷凝器总成", 240), ("温控器", "电子温控器", 85), ("门封条", "冰箱门封条", 45),
        ("蒸发器", "蒸发器", 210), ("化霜加热丝", "化霜加热丝", 38), ("风扇电机", "冷藏风扇电机", 66), ("主控板", "冰箱主控板", 320),
        ("排水泵", "洗衣机排水泵", 75), ("进水阀", "进水电磁阀", 42), ("门锁", "滚筒门锁开关", 36), ("皮带", "洗衣机皮带", 28),
        ("轴承", "滚筒轴承套件", 96), ("电机", "直驱电机", 560), ("加热管", "洗衣机加热管", 68), ("电脑板", "洗衣机电脑板", 290),
        ("油网", "油烟机油网", 58), ("涡轮", "油烟机涡轮", 120), ("点火针", "燃气灶点火针", 18), ("熄火保护", "热电偶", 25),
        ("脉冲器", "脉冲点火器", 48), ("洗碗机喷臂", "上喷淋臂", 88), ("滤芯", "RO反渗透滤芯", 199), ("PP棉", "PP棉滤芯", 35),
        ("内胆", "电饭煲内胆", 89), ("发热盘", "电饭煲发热盘", 76), ("刀组", "破壁机刀组", 65), ("边刷", "扫地机边刷", 19),
        ("电池", "扫地机锂电池", 220), ("尘盒", "尘盒组件", 45), ("电源板", "通用电源板", 110), ("遥控器", "空调遥控器", 30),
        ("冷媒", "R32 冷媒（kg）", 150), ("铜管", "空调连接铜管（m）", 35), ("支架", "空调外机支架", 80), ("显示板", "显示控制板", 140),
        ("传感器", "温度传感器", 22), ("水位开关", "水位传感器", 40), ("门体", "冰箱门体总成", 420), ("把手", "门把手", 26),
    ];

    // Today's intake: a few requests of the last hours, so the inboxes have work whatever the day (the rest spreads over the year).
    private const int IntakeReturns = 5;
    private const int IntakeServiceRequests = 5;
    private const int IntakeClaims = 2;

    // Orders begin a little before the reported year, so the returns and repairs of its first weeks have purchases to refer to.
    private const int LeadInDays = 30;

    // A finished return is surveyed this often: about 100 surveys over the year, spread as the returns are.
    private const float ReturnSurveyShare = 0.4f;

    private readonly Faker faker = new("zh_CN") { Random = new Randomizer(seed) };
    private readonly List<DemoRecord> records = [];
    private readonly Dictionary<string, long> sequences = new(StringComparer.Ordinal);
    private DemoFlowPlanner? planner;

    public IReadOnlyDictionary<string, long> Sequences => sequences;

    /// <summary>Plans the flows with the same random source, so one seed drives everything.</summary>
    private DemoFlowPlanner Planner => planner ??= new DemoFlowPlanner(faker, now);

    public IReadOnlyList<DemoRecord> Generate()
    {
        // The reports count the 12 whole months before this one: the history covers them from their first day (China time), and this month up to now.
        var local = ChinaTime.ToChina(now);
        var start = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset).AddMonths(-12).ToUniversalTime();
        var origin = start.AddDays(-LeadInDays);
        var customers = Customers(200, origin);
        var products = Products(50, origin);
        var engineers = Engineers(origin);
        var parts = SpareParts(origin);
        var orders = Orders(2000, customers, products, origin);
        var returns = Returns(300, orders, customers, start);
        var tickets = ServiceRequests(500, customers, products, orders, engineers, start, origin);
        PartUsage(tickets, parts);
        Feedback(tickets, returns);
        LogisticsClaims(80, products, start);
        PurchaseRequests(parts);
        ServiceProvider(origin);
        return records;
    }

    private List<DemoRecord> Customers(int count, DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        for (var i = 0; i < count; i++)
        {
            var (region, city) = PickRegion();
            var tier = faker.Random.WeightedRandom(["regular", "vip", "ka"], [0.8f, 0.15f, 0.05f]);
            var name = tier == "ka" ? $"{city.City}{faker.PickRandom("恒信", "永泰", "华联", "新世纪", "金桥", "瑞丰")}{faker.PickRandom("商贸有限公司", "电器连锁", "酒店管理有限公司")}" : PersonName();
            var input = new JsonObject
            {
                ["name"] = name,
                ["phone"] = Mobile(),
                ["tier"] = tier,
                ["region"] = region,
                ["address"] = Address(city),
            };
            if (faker.Random.Bool(0.6f))
            {
                input["email"] = Email(name, tier);
            }

            list.Add(Add("customer", input, [], Between(origin.AddDays(-20), origin.AddDays(-1)), "admin"));
        }

        return list;
    }

    private List<DemoRecord> Products(int count, DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        var categories = DemoCatalog.Types.Select(t => t.Category).Distinct().ToList();
        for (var i = 0; i < count; i++)
        {
            var type = faker.PickRandom(DemoCatalog.Types.Where(t => t.Category == categories[i % categories.Count]).ToList());
            var model = faker.Random.ReplaceNumbers(faker.PickRandom(type.Models.ToList()));
            var price = Math.Max(type.MinPrice, Math.Round(faker.Random.Decimal(type.MinPrice, type.MaxPrice) / 10) * 10 - 1);
            list.Add(Add("product", new JsonObject
            {
                ["sku"] = $"{type.Category[..2].ToUpperInvariant()}-{1001 + i}",
                ["name"] = $"{type.Name} {model}",
                ["category"] = type.Category,
                ["warranty_months"] = type.Category == "small" ? faker.PickRandom(12, 12, 24) : faker.PickRandom(12, 24, 36, 72),
                ["price"] = price,
            }, [], Between(origin.AddDays(-20), origin.AddDays(-10)), "admin"));
        }

        return list;
    }

    private List<DemoRecord> Engineers(DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        string[][] skillSets =
        [
            ["basic_repair", "advanced_refrigeration", "installation"],
            ["basic_repair", "kitchen", "installation"],
            ["basic_repair", "laundry"],
            ["basic_repair", "advanced_refrigeration", "laundry", "kitchen"],
        ];
        for (var i = 0; i < 20; i++)
        {
            var region = Regions[i / 4].Key;
            list.Add(Add("engineer", new JsonObject
            {
                ["name"] = DemoNames.Engineers[i],
                ["phone"] = Mobile(),
                ["region"] = region,
                ["skills"] = new JsonArray([.. skillSets[i % 4].Select(s => (JsonNode)s)]),
                ["active"] = i != 19,
                ["user_name"] = $"eng{i + 1:00}",
            }, [], Between(origin.AddDays(-20), origin.AddDays(-15)), "admin"));
        }

        return list;
    }

    /// <summary>
    /// The external service provider's technician (demo user sp01): commercial refrigeration, which no in-house engineer
    /// does, so auto_dispatch sends such jobs out. Added last and without the random source, so the rest stays the same.
    /// </summary>
    private void ServiceProvider(DateTimeOffset origin) =>
        Add("engineer", new JsonObject
        {
            ["name"] = "顺达家电服务·周师傅",
            ["phone"] = "13900099001",
            ["region"] = "east",
            ["skills"] = new JsonArray("commercial_refrigeration"),
            ["active"] = true,
            ["user_name"] = "sp01",
        }, [], origin.AddDays(-14), "admin");

    private List<DemoRecord> SpareParts(DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        for (var i = 0; i < Parts.Length; i++)
        {
            var safety = faker.Random.Number(5, 20);
            list.Add(Add("spare_part", new JsonObject
            {
                ["part_no"] = $"SP-{2001 + i}",
                ["name"] = Parts[i].Name,
                ["stock"] = i % 9 == 0 ? faker.Random.Number(0, safety - 1) : faker.Random.Number(safety, safety * 6),
                ["safety_stock"] = safety,
                ["unit_cost"] = Parts[i].Cost,
            }, [], Between(origin.AddDays(-20), origin.AddDays(-15)), "wh01"));
        }

        return list;
    }

    private List<DemoRecord> Orders(int count, List<DemoRecord> customers, List<DemoRecord> products, DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        var times = Spread(count, origin, now.AddHours(-2), DemoSeason.Orders).Select(at => Daytime(at, origin, now.AddHours(-2))).Order().ToList();
        var buyers = Buyers(count, customers);
        for (var i = 0; i < count; i++)
        {
            var at = times[i];
            var customer = buyers[i];
            var bulk = customer.Input["tier"]!.GetValue<string>() == "ka";
            var items = new JsonArray();
            foreach (var product in faker.PickRandom(products, bulk ? faker.Random.WeightedRandom([1, 2, 3], [0.5f, 0.35f, 0.15f]) : faker.Random.WeightedRandom([1, 2, 3], [0.8f, 0.16f, 0.04f])))
            {
                items.Add(new JsonObject
                {
                    ["product"] = product.Id.ToString(),
                    ["quantity"] = bulk ? faker.Random.WeightedRandom([2, 3, 5, 10, 20], [0.3f, 0.25f, 0.25f, 0.15f, 0.05f]) : faker.Random.WeightedRandom([1, 2], [0.92f, 0.08f]),
                    ["unit_price"] = product.Input["price"]!.DeepClone(),
                });
            }

            list.Add(Add("sales_order", new JsonObject
            {
                ["order_no"] = $"SO{ChinaTime.ToChina(at):yyyyMMdd}{i + 1:00000}",
                ["customer"] = customer.Id.ToString(),
                ["items"] = items,
                ["purchased_at"] = Date(at),
                ["channel"] = bulk
                    ? faker.Random.WeightedRandom(["offline", "official_site", "jd"], [0.6f, 0.25f, 0.15f])
                    : faker.Random.WeightedRandom(["tmall", "jd", "wechat", "official_site", "offline"], [0.3f, 0.3f, 0.15f, 0.1f, 0.15f]),
            }, [], at, "admin"));
        }

        return list;
    }

    /// <summary>
    /// Who placed each of <paramref name="count"/> orders, in a random order: most private customers buy once to a few
    /// times a year, VIPs more; key accounts (dealers, hotels) restock all year and take the rest of the volume.
    /// </summary>
    private List<DemoRecord> Buyers(int count, List<DemoRecord> customers)
    {
        var quota = customers.Select(c => c.Input["tier"]!.GetValue<string>() switch
        {
            "regular" => faker.Random.WeightedRandom([1, 2, 3, 4, 5, 6], [0.42f, 0.26f, 0.14f, 0.09f, 0.05f, 0.04f]),
            "vip" => faker.Random.Number(3, 12),
            _ => 0,
        }).ToArray();
        var bulk = Enumerable.Range(0, customers.Count).Where(i => customers[i].Input["tier"]!.GetValue<string>() == "ka").ToList();
        if (bulk.Count == 0)
        {
            bulk = [.. Enumerable.Range(0, customers.Count)];
        }

        var shares = bulk.Select(_ => faker.Random.Double(1, 3)).ToList();
        var rest = Math.Max(0, count - quota.Sum());
        for (var k = 0; k < rest; k++)
        {
            quota[bulk[PickWeighted(shares)]]++;
        }

        var buyers = Enumerable.Range(0, customers.Count).SelectMany(i => Enumerable.Repeat(customers[i], quota[i])).Take(count).ToList();
        return [.. faker.Random.Shuffle(buyers)];
    }

    private List<DemoRecord> Returns(int count, List<DemoRecord> orders, List<DemoRecord> customers, DateTimeOffset start)
    {
        var list = new List<DemoRecord>();
        var byId = customers.ToDictionary(c => c.Id.ToString());
        var latest = now.AddMinutes(-30);
        var recent = orders.Where(o => o.CreatedAt < now.AddDays(-1) && o.CreatedAt > now.AddDays(-25)).ToList();

        // Requests spread over the history as the orders before them (DemoSeason), each about an order of the 25 days before it.
        var requests = Spread(count - IntakeReturns, start, latest, DemoSeason.Returns)
            .Select(at => Daytime(at, start, latest))
            .Select(at => (Order: faker.PickRandom(Placed(orders, at.AddDays(-25), at.AddHours(-6))), At: at, Intake: false))
            .Concat(faker.PickRandom(recent, IntakeReturns).Select(o => (Order: o, At: Between(now.AddHours(-3), now.AddMinutes(-5)), Intake: true)))
            .OrderBy(x => x.At)
            .ToList();
        foreach (var (order, at, intake) in requests)
        {
            var customer = byId[order.Input["customer"]!.GetValue<string>()];
            var item = faker.PickRandom(order.Input["items"]!.AsArray().OfType<JsonObject>().ToList());
            var reason = faker.Random.WeightedRandom(["quality", "no_reason", "wrong_item", "damaged", "other"], [0.38f, 0.27f, 0.1f, 0.17f, 0.08f]);
            var kind = faker.Random.Bool(0.65f) ? "return" : "exchange";
            var quantity = Math.Min(item["quantity"]!.GetValue<int>(), faker.Random.WeightedRandom([1, 2, 3], [0.78f, 0.16f, 0.06f]));
            var input = new JsonObject
            {
                ["order_no"] = order.Input["order_no"]!.DeepClone(),
                ["product"] = item["product"]!.DeepClone(),
                ["customer_name"] = customer.Input["name"]!.GetValue<string>() is { Length: <= 20 } n ? n : PersonName(),
                ["phone"] = customer.Input["phone"]!.DeepClone(),
                ["kind"] = kind,
                ["reason"] = reason,
                ["quantity"] = quantity,
            };
            if (reason == "quality")
            {
                input["description"] = faker.PickRandom(
                    "使用不到一周出现异响，噪音很大，影响休息。", "开机后不制冷/不加热，重启多次无效。", "显示屏报错 E4，客服远程指导后仍无法使用。",
                    "门体关不严，封条有明显变形。", "漏水严重，底部有积水。", "功能按键失灵，部分按钮按下无反应。");
            }

            if (reason is "quality" or "damaged")
            {
                input["images"] = new JsonArray([.. Enumerable.Range(1, faker.Random.Number(1, 3)).Select(k => (JsonNode)$"demo-img-{list.Count:0000}-{k}")]);
            }

            var amount = quantity * item["unit_price"]!.GetValue<decimal>();
            var purchased = DateOnly.ParseExact(order.Input["purchased_at"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var plan = Planner.Return(at, kind, reason, amount, purchased, intake);
            list.Add(Add("return_request", input, [], at, faker.PickRandom("cs01", "cs02", "public"), plan));
        }

        return list;
    }

    private List<DemoRecord> ServiceRequests(
        int count, List<DemoRecord> customers, List<DemoRecord> products, List<DemoRecord> orders, List<DemoRecord> engineers, DateTimeOffset start, DateTimeOffset origin)
    {
        var list = new List<DemoRecord>();
        var times = Spread(count - IntakeServiceRequests, start, now.AddMinutes(-10), DemoSeason.ServiceRequests).Select(at => (At: Daytime(at, start, now.AddMinutes(-10)), Intake: false))
            .Concat(Enumerable.Range(0, IntakeServiceRequests).Select(_ => (At: Between(now.AddHours(-2), now.AddMinutes(-3)), Intake: true)))
            .OrderBy(x => x.At)
            .ToList();
        var customerById = customers.ToDictionary(c => c.Id.ToString());
        var productById = products.ToDictionary(p => p.Id.ToString());
        var ordersOf = orders.GroupBy(o => o.Input["customer"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        var requestsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var installed = products.Where(p => DemoCatalog.Of(p.Input["name"]!.GetValue<string>()).Installed).Select(p => p.Id).ToHashSet();
        foreach (var (at, intake) in times)
        {
            var type = faker.Random.WeightedRandom(["repair", "install", "maintain", "complaint", "invoice", "consult"], [0.5f, 0.2f, 0.1f, 0.08f, 0.04f, 0.08f]);

            // Most requests are about a purchase of the caller's (an installation about one of the last days); some about goods bought before the history or elsewhere.
            var (from, to, linked) = type switch
            {
                "install" => (at.AddDays(-7), at.AddHours(-20), 0.95f),
                "maintain" => (origin, at.AddDays(-60), 0.85f),
                "complaint" => (origin, at.AddDays(-7), 0.85f),
                "invoice" => (at.AddDays(-45), at.AddDays(-1), 0.9f),
                "consult" => (at.AddDays(-30), at.AddHours(-2), 0.5f),
                _ => (origin, at.AddDays(-3), 0.85f),
            };
            bool Fits(DemoRecord p) => type != "install" || installed.Contains(p.Id);
            var window = faker.Random.Bool(linked)
                ? Placed(orders, from, to).Where(o => o.Input["items"]!.AsArray().Any(i => Fits(productById[i!["product"]!.GetValue<string>()]))).ToList()
                : [];

            // A customer with many orders is not called about each of them: the chance goes by customer, and falls with the requests they already made.
            double Weight(string customerId) => 1.0 / Math.Pow(1 + requestsOf.GetValueOrDefault(customerId), 2);
            DemoRecord? order = window.Count == 0 ? null : window[PickWeighted([.. window.Select(o => o.Input["customer"]!.GetValue<string>()).Select(c => Weight(c) / ordersOf[c])])];
            var customer = order is not null ? customerById[order.Input["customer"]!.GetValue<string>()] : customers[PickWeighted([.. customers.Select(c => Weight(c.Id.ToString()))])];
            requestsOf[customer.Id.ToString()] = requestsOf.GetValueOrDefault(customer.Id.ToString()) + 1;
            var product = order is not null
                ? productById[faker.PickRandom(order.Input["items"]!.AsArray().Select(i => i!["product"]!.GetValue<string>()).Where(id => Fits(productById[id])).ToList())]
                : faker.PickRandom(products.Where(Fits).ToList());
            var skill = type == "install" ? "installation" : DemoCatalog.Of(product.Input["name"]!.GetValue<string>()).Skill;
            var region = customer.Input["region"]!.GetValue<string>();
            var priority = faker.Random.WeightedRandom(["low", "normal", "high", "urgent"], [0.15f, 0.6f, 0.18f, 0.07f]);
            var input = new JsonObject
            {
                ["type"] = type,
                ["customer"] = customer.Id.ToString(),
                ["customer_name"] = customer.Input["name"]!.GetValue<string>() is { Length: <= 20 } n ? n : PersonName(),
                ["phone"] = customer.Input["phone"]!.DeepClone(),
                ["product"] = product.Id.ToString(),
                ["description"] = Problem(type, product.Input["name"]!.GetValue<string>(), order is null ? null : at - order.CreatedAt),
                ["region"] = region,
                ["address"] = customer.Input["address"]!.DeepClone(),
                ["priority"] = priority,
                ["required_skill"] = skill,
            };
            if (order is not null)
            {
                input["order_no"] = order.Input["order_no"]!.DeepClone();
            }

            // Response time varies by region so the region report shows a difference; the night shift is slower.
            var night = ChinaTime.ToChina(at).Hour is < 8 or >= 22;
            var acceptMinutes = Math.Round(faker.Random.Double(2, 28) * (region switch { "west" => 1.8, "central" => 1.4, _ => 1.0 }) * (night ? 1.5 : 1.0) * Math.Sqrt(DemoSeason.Rush(ChinaTime.Today(at))), 1);

            // Auto dispatch (rule auto_dispatch) takes an active engineer of the region with the skill; none → dispatched by hand to one of the region.
            DemoRecord? engineer = null;
            var candidates = 0;
            if (type is "repair" or "install" or "maintain")
            {
                var active = engineers.Where(e => e.Input["active"]!.GetValue<bool>() && e.Input["region"]!.GetValue<string>() == region).ToList();
                var skilled = active.Where(e => e.Input["skills"]!.AsArray().Any(s => s!.GetValue<string>() == skill)).ToList();
                candidates = skilled.Count;
                engineer = faker.PickRandom(skilled.Count > 0 ? skilled : active);
            }

            var plan = Planner.Service(at, type, priority, acceptMinutes, engineer, candidates, intake);
            list.Add(Add("service_request", input, [], at, faker.PickRandom("cs01", "cs02", "public"), plan));
        }

        return list;
    }

    private void PartUsage(List<DemoRecord> tickets, List<DemoRecord> parts)
    {
        foreach (var ticket in tickets.Where(t => t.Input["type"]!.GetValue<string>() is "repair" or "maintain"))
        {
            // Parts are recorded by the engineer during the visit that finished the execute step.
            if (ticket.Flow?.Last("execute") is not { } visit || !faker.Random.Bool(0.65f))
            {
                continue;
            }

            foreach (var part in faker.PickRandom(parts, faker.Random.WeightedRandom([1, 2], [0.8f, 0.2f])))
            {
                Add("part_usage", new JsonObject
                {
                    ["service_request"] = ticket.Id.ToString(),
                    ["part"] = part.Id.ToString(),
                    ["quantity"] = faker.Random.WeightedRandom([1, 2], [0.85f, 0.15f]),
                }, [], visit.At.AddMinutes(-faker.Random.Double(5, 40)), visit.By);
            }
        }
    }

    private void Feedback(List<DemoRecord> tickets, List<DemoRecord> returns)
    {
        // CSAT (and whether the first visit fixed it) is asked in the follow-up call that closes a request an engineer visited.
        foreach (var ticket in tickets)
        {
            if (ticket.Flow is not { Ends: true } plan || plan.Last("execute") is null || plan.Last("follow_up") is not { } call || !faker.Random.Bool(0.75f))
            {
                continue;
            }

            // Fewer faults are fixed at the first visit in the rush (DemoSeason.Rush: parts short, engineers hurried).
            var firstTimeFix = faker.Random.Bool((float)Math.Max(0.62, 0.88 - 0.3 * (DemoSeason.Rush(ChinaTime.Today(ticket.CreatedAt)) - 1)));
            var rating = firstTimeFix ? faker.Random.WeightedRandom([5, 4, 3], [0.65f, 0.28f, 0.07f]) : faker.Random.WeightedRandom([4, 3, 2, 1], [0.3f, 0.35f, 0.25f, 0.1f]);

            // What the caller entered at the follow-up step, as the template's step fields.
            ticket.System["csat"] = rating;
            ticket.System["first_time_fix"] = firstTimeFix;
            Add("feedback", new JsonObject
            {
                ["service_request"] = ticket.Id.ToString(),
                ["rating"] = rating,
                ["first_time_fix"] = firstTimeFix,
                ["comment"] = faker.PickRandom("师傅很专业，上门准时。", "处理及时，态度很好。", "第二次上门才修好，希望改进。", "配件等了三天，有点慢。", "非常满意！", "沟通顺畅，问题解决了。"),
            }, [], call.At, call.By);
        }

        // Completed returns and exchanges (refunded, or replacement shipped) get a survey a few days later, a share of them all year round.
        foreach (var request in returns)
        {
            if (request.Flow is not { Ends: true } plan || plan.Actions[^1].Action != "approve" || !faker.Random.Bool(ReturnSurveyShare))
            {
                continue;
            }

            var at = plan.EndedAt!.Value.AddHours(faker.Random.Double(12, 72));
            var rating = faker.Random.WeightedRandom([5, 4, 3, 2], [0.5f, 0.3f, 0.15f, 0.05f]);
            var comment = faker.PickRandom("退款很快。", "换货流程顺利。", "审核时间稍长。", "客服耐心。");
            if (at > now)
            {
                continue;
            }

            Add("feedback", new JsonObject
            {
                ["return_request"] = request.Id.ToString(),
                ["rating"] = rating,
                ["comment"] = comment,
            }, [], at, "cs02");
        }
    }

    private void LogisticsClaims(int count, List<DemoRecord> products, DateTimeOffset start)
    {
        var times = Spread(count - IntakeClaims, start, now.AddHours(-1), DemoSeason.LogisticsClaims).Select(at => Daytime(at, start, now.AddHours(-1)))
            .Concat(Enumerable.Range(0, IntakeClaims).Select(_ => Between(now.AddHours(-4), now.AddMinutes(-10))))
            .Order()
            .ToList();
        foreach (var at in times)
        {
            var claimType = faker.Random.WeightedRandom(["broken", "lost", "delayed"], [0.55f, 0.2f, 0.25f]);
            var coldChain = faker.Random.Bool(0.25f);
            var customerType = faker.Random.WeightedRandom(["ka", "retail"], [0.3f, 0.7f]);
            var input = new JsonObject
            {
                ["waybill_no"] = $"{faker.PickRandom("SF", "JD", "YT", "ZTO")}{faker.Random.ReplaceNumbers("############")}",
                ["customer_type"] = customerType,
                ["claim_type"] = claimType,
                ["cold_chain"] = coldChain,
                ["amount"] = ClaimAmount(claimType, customerType == "ka", coldChain, products),
            };
            if (coldChain)
            {
                input["temperature_log"] = new JsonArray($"demo-temp-{records.Count:0000}");
            }

            if (claimType == "broken")
            {
                input["evidence"] = new JsonArray($"demo-img-claim-{records.Count:0000}");
            }

            var plan = Planner.Claim(at, input["customer_type"]!.GetValue<string>(), claimType, coldChain, input["amount"]!.GetValue<decimal>());
            Add("logistics_claim", input, [], at, faker.PickRandom("cs01", "cs02"), plan);
        }
    }

    /// <summary>
    /// What is claimed: a delay costs the freight and a goodwill amount; a breakage part of the goods' value (the repair or
    /// the discount), a loss all of it; a key account's shipment holds several units, a cold-chain one spoils with its cargo.
    /// </summary>
    private decimal ClaimAmount(string claimType, bool ka, bool coldChain, List<DemoRecord> products)
    {
        var units = ka ? faker.Random.WeightedRandom([2, 4, 6, 10, 16], [0.3f, 0.3f, 0.2f, 0.15f, 0.05f]) : 1;
        var value = products[faker.Random.Number(0, products.Count - 1)].Input["price"]!.GetValue<decimal>() * units;
        var amount = claimType switch
        {
            "delayed" => ka ? faker.Random.Decimal(300, 3000) : faker.Random.Decimal(20, 300),
            "lost" => value,
            _ => value * faker.Random.Decimal(0.15m, 0.8m),
        };
        return Math.Round(coldChain && claimType != "delayed" ? amount * 1.2m : amount, 2);
    }

    private void PurchaseRequests(List<DemoRecord> parts)
    {
        foreach (var part in parts.Where(p => p.Input["stock"]!.GetValue<int>() < p.Input["safety_stock"]!.GetValue<int>()))
        {
            Add("purchase_request", new JsonObject
            {
                ["part"] = part.Id.ToString(),
                ["quantity"] = part.Input["safety_stock"]!.GetValue<int>() * 3,
                ["reason"] = "库存低于安全库存，自动补货",
            }, new JsonObject { ["status"] = "submitted" }, now.AddDays(-faker.Random.Double(0.5, 6)), "rule:deduct_stock");
        }
    }

    private DemoRecord Add(string entityKey, JsonObject input, JsonObject system, DateTimeOffset at, string by, DemoFlowPlan? flow = null)
    {
        var entity = app.FindEntity(entityKey) ?? throw new InvalidOperationException($"The template has no entity '{entityKey}'.");
        foreach (var field in entity.Fields.Where(f => f.Type == "auto-number" && f.AutoNumber is not null))
        {
            var pattern = AutoNumberPattern.Parse(field.AutoNumber!);
            var prefix = pattern.PrefixAt(at);
            var suffix = pattern.SuffixAt(at);
            var key = $"{app.Key}/{entityKey}/{field.Key}/{prefix}|{suffix}";
            var next = sequences[key] = sequences.GetValueOrDefault(key) + 1;
            system[field.Key] = pattern.Format(at, next);
        }

        var record = new DemoRecord(entityKey, Guid.CreateVersion7(at), input, system, at, by) { Flow = flow };
        records.Add(record);
        return record;
    }

    private (string Region, DemoCity City) PickRegion()
    {
        var region = faker.Random.WeightedRandom(Regions, [0.3f, 0.25f, 0.2f, 0.13f, 0.12f]);
        return (region.Key, faker.PickRandom(region.Cities));
    }

    /// <summary>An address a Chinese customer would have: a QQ number, or pinyin with a lucky number or birth year; a company's purchasing mailbox.</summary>
    private string Email(string name, string tier)
    {
        var domain = faker.Random.WeightedRandom(["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"], [0.4f, 0.3f, 0.12f, 0.08f, 0.1f]);
        if (tier == "ka")
        {
            return $"{faker.PickRandom("caigou", "purchase", "service", "admin")}{faker.Random.Number(1, 99):00}@{faker.PickRandom("163.com", "126.com", "aliyun.com")}";
        }

        var surname = DemoPinyin.Surnames.Keys.Where(k => name.StartsWith(k, StringComparison.Ordinal)).MaxBy(k => k.Length);
        if (surname is null || (domain == "qq.com" && faker.Random.Bool(0.5f)))
        {
            return $"{faker.Random.Number(1, 9)}{faker.Random.ReplaceNumbers(new string('#', faker.Random.Number(5, 9)))}@qq.com";
        }

        var family = DemoPinyin.Surnames[surname];
        var given = string.Concat(Enumerable.Range(0, faker.Random.Number(1, 2)).Select(_ => faker.PickRandom(DemoPinyin.Syllables.ToList())));
        return faker.Random.Number(0, 3) switch
        {
            0 => $"{family}{given}{faker.Random.Number(1, 99)}@{domain}",
            1 => $"{family}{given}_{faker.Random.Number(1970, 2004)}@{domain}",
            2 => $"{given[0]}{family}{faker.Random.Number(100, 999)}@{domain}",
            _ => $"{family}.{given}@{domain}",
        };
    }

    /// <summary>The orders placed within [<paramref name="from"/>, <paramref name="to"/>] (the list is in time order).</summary>
    private static List<DemoRecord> Placed(List<DemoRecord> orders, DateTimeOffset from, DateTimeOffset to)
    {
        var first = Lower(orders, from);
        return orders.GetRange(first, Math.Max(0, Lower(orders, to.AddTicks(1)) - first));

        static int Lower(List<DemoRecord> list, DateTimeOffset at)
        {
            var (lo, hi) = (0, list.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                (lo, hi) = list[mid].CreatedAt < at ? (mid + 1, hi) : (lo, mid);
            }

            return lo;
        }
    }

    /// <summary>An index drawn with the given (non-negative) weights.</summary>
    private int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var x = faker.Random.Double() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    private string PersonName() => faker.Name.LastName() + faker.Name.FirstName();

    private string Mobile() => "1" + faker.PickRandom("3", "5", "7", "8", "9") + faker.Random.ReplaceNumbers("#########");

    private string Address(DemoCity city) =>
        $"{city.Prefix(faker.PickRandom(city.Districts.ToArray()))}{faker.PickRandom(Roads)}{faker.Random.Number(1, 999)}号{faker.Random.Number(1, 30)}栋{faker.Random.Number(101, 2801)}室";

    private string Problem(string type, string product, TimeSpan? owned) => type switch
    {
        "repair" => $"{product}{faker.PickRandom("不制冷", "不加热", "漏水", "异响", "无法开机", "显示故障代码 E1", "门关不上", "不脱水")}，请尽快上门。",
        "install" => $"新购{product}，预约上门安装。",
        "maintain" => owned is { } age ? $"{product}使用 {Math.Max(2, (int)(age.TotalDays / 30))} 个月，预约清洗保养。" : $"{product}使用多年，预约清洗保养。",
        "complaint" => $"投诉：{product}维修后再次故障，师傅上门迟到。",
        "invoice" => $"购买{product}的发票抬头开错，申请补开增值税发票。",
        _ => $"咨询{product}的使用方法和保修政策。",
    };

    /// <summary>
    /// <paramref name="count"/> random moments, one in each of as many equal slices of [from, to]: random within the slice,
    /// but every month gets its share, so a monthly report shows the business rather than the dice.
    /// </summary>
    /// <summary>
    /// <paramref name="count"/> moments in [from, to], one per equal share of the period's business, where a day's share is
    /// its length times its <paramref name="season"/> weight (China days): evenly spread within a day, denser on busy days.
    /// </summary>
    private IEnumerable<DateTimeOffset> Spread(int count, DateTimeOffset from, DateTimeOffset to, Func<DateOnly, double> season)
    {
        var days = new List<(DateTimeOffset Start, double Seconds, double Until)>();
        var total = 0.0;
        for (var start = from; start < to;)
        {
            var local = ChinaTime.ToChina(start);
            var end = new DateTimeOffset(local.Date, local.Offset).AddDays(1).ToUniversalTime();
            end = end > to ? to : end;
            var seconds = (end - start).TotalSeconds;
            total += seconds * season(DateOnly.FromDateTime(local.Date));
            days.Add((start, seconds, total));
            start = end;
        }

        var moments = new List<DateTimeOffset>(count);
        var day = 0;
        for (var k = 0; k < count; k++)
        {
            var share = (k + faker.Random.Double()) / Math.Max(1, count) * total;
            while (day < days.Count - 1 && days[day].Until < share)
            {
                day++;
            }

            var before = day == 0 ? 0 : days[day - 1].Until;
            var within = days[day].Until > before ? (share - before) / (days[day].Until - before) : 0;
            moments.Add(days[day].Start.AddSeconds(Math.Clamp(within, 0, 1) * days[day].Seconds));
        }

        return moments;
    }

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        from.AddSeconds(faker.Random.Double(0, Math.Max(1, (to - from).TotalSeconds)));

    /// <summary>Customers write mostly by day: a night-time moment moves, four times in five, to a daytime one (08:00–22:00, China time) of the same day within [from, to].</summary>
    private DateTimeOffset Daytime(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to)
    {
        var moveIt = faker.Random.Bool(0.8f);
        var minutes = faker.Random.Double(8 * 60, 22 * 60);
        var local = ChinaTime.ToChina(at);
        if (!moveIt || local.Hour is >= 8 and < 22)
        {
            return at;
        }

        var moved = new DateTimeOffset(local.Date, local.Offset).AddMinutes(minutes).ToUniversalTime();
        return moved >= from && moved <= to ? moved : at;
    }

    private static string Date(DateTimeOffset at) => ChinaTime.Today(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
