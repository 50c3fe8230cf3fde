using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using Platform.Core.Flows.Calendars;
using Platform.Core.Forms;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// Plans what happened to the demo records' flows (return_flow, service_flow, claim_flow of the after-sales
/// template): who acted at which step, when, and how. Durations are drawn from log-normal distributions (a typical
/// median with a long tail) and counted in the working hours of whoever acts (<see cref="DemoCalendars"/>): reviews
/// take minutes to hours, warehouse QC waits for the goods to come back (days), repairs wait for an appointment
/// and sometimes for parts. A few stories run past their step deadlines, so SLA breaches show. Stories stop at the
/// generator's "now": the records created last are still open at the step they reached.
/// </summary>
internal sealed class DemoFlowPlanner(Faker faker, DateTimeOffset now)
{
    private static readonly string[] CustomerServiceAgents = ["cs01", "cs02", "sup01"];
    private static readonly float[] CustomerServiceWeights = [0.47f, 0.43f, 0.10f];

    /// <summary>
    /// return_flow: customer-service review (or the seven-day rule), supervisor above 500, warehouse QC once the goods are back,
    /// refund or replacement. An <paramref name="intake"/> request (one of the last hours' arrivals) still waits for its review,
    /// so customer service has work in its inbox whatever the hour the demo is loaded at.
    /// </summary>
    public DemoFlowPlan Return(DateTimeOffset created, string kind, string reason, decimal amount, DateOnly purchased, bool intake = false)
    {
        var s = new DemoFlowScript("return_flow", now);
        var days = ChinaTime.Today(created).DayNumber - purchased.DayNumber;
        DateTimeOffset t;
        if (reason == "no_reason" && days is >= 0 and <= 7)
        {
            // What rule auto_approve_no_reason does the moment the review opens.
            t = created;
            s.Act("cs_review", "rule:auto_approve_no_reason", t,
                comment: $"七天无理由退货，购买 {days} 天内，系统自动通过初审（规则 auto_approve_no_reason）");
        }
        else
        {
            var backlog = faker.Random.Bool(0.08f) ? Minutes(360, 0.4, 180, 900) : TimeSpan.Zero;
            t = Work(DemoCalendars.CustomerService, created, Minutes(70, 0.8, 5, 360) + backlog);
            var by = Agent();
            var (rejectChance, why) = reason switch
            {
                "no_reason" => (0.3f, $"已超过七天无理由退货期限（购买 {days} 天），不予受理"),
                "quality" => (0.05f, "经核实为使用不当造成的损坏，不属于质量问题"),
                "damaged" => (0.04f, "签收时未反馈破损，且无法提供开箱照片"),
                "wrong_item" => (0.02f, "核对出库记录，发货商品与订单一致"),
                _ => (0.15f, "申请理由不充分，请补充说明后重新提交"),
            };
            var rejected = faker.Random.Bool(rejectChance);
            if (intake)
            {
                s.Wait();
                return s.Plan();
            }

            if (rejected)
            {
                s.Reject("cs_review", by, t, why);
                return s.Plan();
            }

            if (!s.Act("cs_review", by, t, comment: faker.Random.Bool(0.3f) ? faker.PickRandom("资料齐全，同意受理", "已电话核实，同意", "符合退换货政策") : null))
            {
                return s.Plan();
            }
        }

        if (amount > 500)
        {
            t = Work(DemoCalendars.Office, t, Minutes(80, 0.9, 10, 960));
            if (faker.Random.Bool(0.04f))
            {
                s.Reject("supervisor_approval", "sup01", t, "金额较大，请补充开箱视频后重新申请");
                return s.Plan();
            }

            if (!s.Act("supervisor_approval", "sup01", t))
            {
                return s.Plan();
            }
        }

        // The customer ships the goods back; QC starts when they arrive.
        var arrived = t + Minutes(56 * 60, 0.5, 16 * 60, 200 * 60);
        var rush = DemoSeason.Rush(ChinaTime.Today(created));
        t = Work(DemoCalendars.Warehouse, arrived, Minutes(90 * rush, 0.7, 15, 600 * rush));
        if (faker.Random.Bool(0.03f))
        {
            s.Reject("warehouse_qc", "wh01", t, "退回商品缺少配件且有明显使用痕迹，质检不通过");
            return s.Plan();
        }

        if (!s.Act("warehouse_qc", "wh01", t, comment: faker.Random.Bool(0.4f) ? faker.PickRandom("外观完好，配件齐全", "确认质量问题，质检通过", "包装破损，商品可二次销售") : null))
        {
            return s.Plan();
        }

        if (kind == "return")
        {
            t = Work(DemoCalendars.Office, t, Minutes(240 * rush, 0.8, 20, 2400 * rush));
            s.Act("finance_refund", "fin01", t, comment: $"已原路退款 {amount.ToString("0.00", CultureInfo.InvariantCulture)} 元");
        }
        else
        {
            t = Work(DemoCalendars.Warehouse, t, Minutes(300 * rush, 0.8, 30, 2400 * rush));
            s.Act("ship_replacement", "wh01", t, comment: $"换新已发出，运单号 SF{faker.Random.ReplaceNumbers("############")}");
        }

        return s.Plan(completes: true);
    }

    /// <summary>
    /// service_flow: accepted after <paramref name="acceptMinutes"/> (the record's accepted_at), then by type — dispatch
    /// (rule auto_dispatch, or by hand when no engineer matched), the engineer's visit, a follow-up call; complaints get
    /// the quality/supervisor countersign, invoices go to finance, consultations straight to the follow-up.
    /// </summary>
    public DemoFlowPlan Service(DateTimeOffset created, string type, string priority, double acceptMinutes, DemoRecord? engineer, int candidates, bool intake = false)
    {
        var s = new DemoFlowScript("service_flow", now);
        if (intake)
        {
            // Just came in: waits to be accepted (see Return).
            s.Wait();
            return s.Plan();
        }

        var accepted = created.AddMinutes(acceptMinutes);
        if (!s.Act("accept", Agent(), accepted, fields: new JsonObject { ["accepted_at"] = Iso(accepted) }))
        {
            return s.Plan();
        }

        var t = accepted;
        switch (type)
        {
            case "complaint":
                var votes = new[] { ("qa01", Work(DemoCalendars.Office, t, Minutes(150, 0.8, 15, 1440))), ("sup01", Work(DemoCalendars.Office, t, Minutes(200, 0.8, 15, 1440))) }
                    .OrderBy(v => v.Item2).ToList();
                foreach (var (by, at) in votes)
                {
                    if (!s.Act("complaint_review", by, at, comment: by == "qa01" ? "已调取维修记录，确认二次故障" : "同意补偿方案，安排回访"))
                    {
                        return s.Plan();
                    }
                }

                t = votes[^1].Item2;
                break;

            case "invoice":
                t = Work(DemoCalendars.Office, t, Minutes(360, 0.7, 30, 2400));
                s.Act("invoice_reissue", "fin01", t, comment: "增值税发票已重新开具并寄出");
                return s.Plan(completes: true);

            case "consult":
                break;

            default:
                if (engineer is null)
                {
                    throw new InvalidOperationException($"Demo service request of type {type} needs an engineer.");
                }

                var name = engineer.Input["name"]!.GetValue<string>();
                var assignment = new JsonObject { ["engineer"] = engineer.Id.ToString(), ["engineer_user"] = engineer.Input["user_name"]!.DeepClone() };
                if (candidates > 0)
                {
                    // What rule auto_dispatch does the moment the flow enters dispatch.
                    var reason = candidates == 1 ? "唯一满足条件的候选 / the only candidate" : $"按 open_jobs asc 排在 {candidates} 个候选的第一位 / first of {candidates} candidates by open_jobs asc";
                    s.Act("dispatch", "rule:auto_dispatch", t, comment: $"自动派工：{name}（{reason}）", fields: assignment);
                }
                else
                {
                    t = Work(DemoCalendars.CustomerService, t, Minutes(25, 0.8, 5, 180));
                    if (!s.Act("dispatch", Agent(), t, comment: $"无完全匹配技能的工程师，人工派给 {name}", fields: assignment))
                    {
                        return s.Plan();
                    }
                }

                // In the rush (summer's cooling faults, the weeks after 双11) engineers come later and parts run short.
                var rush = DemoSeason.Rush(ChinaTime.Today(created));
                var lead = priority switch
                {
                    "urgent" => Minutes(180 * rush, 0.5, 30, 600 * rush),
                    "high" => Minutes(480 * rush, 0.5, 60, 1800 * rush),
                    "low" => Minutes(2400 * rush, 0.5, 600, 7200 * rush),
                    _ => Minutes(1440 * rush, 0.6, 240, 4800 * rush),
                };
                var waitsForParts = type == "repair" && faker.Random.Bool((float)(0.1 * rush));
                var parts = waitsForParts ? Minutes(2880, 0.5, 960, 7200) : TimeSpan.Zero;
                t = Work(DemoCalendars.Engineers, t, lead + parts + Minutes(80, 0.5, 20, 300));
                var done = waitsForParts
                    ? "首次上门确认故障，等待备件到货后二次上门，已修复"
                    : type switch
                    {
                        "install" => "安装调试完成，已向客户演示使用",
                        "maintain" => "清洗保养完成，运行正常",
                        _ => faker.PickRandom("已上门检修，试机正常", "更换故障部件后运行正常", "排查为线路接触不良，已处理"),
                    };
                // The customer signs on the engineer's phone to confirm the visit (the execute step requires it).
                var signed = new JsonObject { ["customer_signature"] = new JsonArray(DemoSignature.FileId) };
                if (!s.Act("execute", engineer.Input["user_name"]!.GetValue<string>(), t, comment: done, fields: signed))
                {
                    return s.Plan();
                }

                break;
        }

        // Follow-up call; now and then the customer cannot be reached for a day or two.
        var unreachable = faker.Random.Bool(0.12f) ? Minutes(20 * 60, 0.4, 8 * 60, 40 * 60) : TimeSpan.Zero;
        t = Work(DemoCalendars.CustomerService, t, Minutes(type == "consult" ? 120 : 480, 0.8, 10, 2400) + unreachable);
        s.Act("follow_up", Agent(), t, comment: faker.PickRandom("电话回访：客户表示满意", "回访完成，客户认可处理结果", "已回访，问题已解决"));
        return s.Plan(completes: true);
    }

    /// <summary>claim_flow: temperature evidence for cold chain, key-account or retail review, finance above the limit, payout.</summary>
    public DemoFlowPlan Claim(DateTimeOffset created, string customerType, string claimType, bool coldChain, decimal amount)
    {
        var s = new DemoFlowScript("claim_flow", now);
        var t = created;
        if (coldChain)
        {
            t = Work(DemoCalendars.Office, t, Minutes(180, 0.8, 20, 1440));
            if (!s.Act("temperature_evidence", "qa01", t, comment: "温度记录已核验，运输途中存在超温"))
            {
                return s.Plan();
            }
        }

        var ka = customerType == "ka";
        var (step, reviewer) = ka ? ("ka_review", "ka01") : ("retail_review", Agent());
        t = ka ? Work(DemoCalendars.Office, t, Minutes(120, 0.8, 10, 1440)) : Work(DemoCalendars.CustomerService, t, Minutes(90, 0.8, 10, 960));
        if (faker.Random.Bool(0.1f))
        {
            s.Reject(step, reviewer, t, claimType switch
            {
                "delayed" => "延误未超过承运商承诺时效，不予理赔",
                "lost" => "承运商已找回包裹并完成投递",
                _ => "运单轨迹显示已正常签收，签收时未备注破损",
            });
            return s.Plan();
        }

        if (!s.Act(step, reviewer, t))
        {
            return s.Plan();
        }

        if (amount > (ka ? 5000 : 1000))
        {
            t = Work(DemoCalendars.Office, t, Minutes(300, 0.8, 20, 2400));
            if (faker.Random.Bool(0.05f))
            {
                s.Reject("finance_approval", "fin01", t, "金额超出保价范围，请按保价金额重新申报");
                return s.Plan();
            }

            if (!s.Act("finance_approval", "fin01", t))
            {
                return s.Plan();
            }
        }

        t = Work(DemoCalendars.Office, t, Minutes(720, 0.6, 120, 4800));
        s.Act("payout", "fin01", t, comment: "赔款已通过对公账户支付");
        return s.Plan(completes: true);
    }

    private string Agent() => faker.Random.WeightedRandom(CustomerServiceAgents, CustomerServiceWeights);

    /// <summary>A log-normal duration: <paramref name="median"/> minutes, spread <paramref name="sigma"/>, kept within [min, max].</summary>
    private TimeSpan Minutes(double median, double sigma, double min, double max)
    {
        var u1 = 1 - faker.Random.Double();
        var u2 = faker.Random.Double();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return TimeSpan.FromSeconds(Math.Round(Math.Clamp(median * Math.Exp(sigma * z), min, max) * 60));
    }

    private static DateTimeOffset Work(BusinessCalendar calendar, DateTimeOffset from, TimeSpan working) =>
        calendar.AddWorkingTime(from, working).ToUniversalTime();

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
