using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// claim_flow walked branch by branch: cold-chain claims first pass quality's temperature evidence check (qa01); key-account
/// claims go to the key-account team (ka01) and need finance above 5,000, retail claims to customer service (cs01) and need
/// finance above 1,000; finance (fin01) pays out and the claim ends paid; a rejection at any step ends it rejected.
/// </summary>
[Collection("platform")]
public sealed class ClaimFlowScenarioTests(PlatformFixture platform)
{
    private readonly AfterSalesScenario scenario = new(platform);

    private static Task<JsonObject> CreateClaimAsync(HttpClient client, string customerType, decimal amount, bool coldChain)
    {
        var data = new JsonObject
        {
            ["waybill_no"] = $"SF{Random.Shared.NextInt64(100_000_000_000, 999_999_999_999)}", ["customer_type"] = customerType, ["claim_type"] = "broken",
            ["cold_chain"] = coldChain, ["amount"] = amount, ["evidence"] = new JsonArray("scenario-claim-photo"),
        };
        if (coldChain)
        {
            data["temperature_log"] = new JsonArray("scenario-temperature-log");
        }

        return CreateAsync(client, "logistics_claim", data);
    }

    private static (string Step, string User) Review(string customerType) => customerType == "ka" ? ("ka_review", "ka01") : ("retail_review", "cs01");

    [Theory]
    [InlineData("ka", 5000, false, false)] // at the key-account limit
    [InlineData("ka", 5000.01, false, true)]
    [InlineData("ka", 3000, true, false)]
    [InlineData("retail", 1000, false, false)] // at the retail limit
    [InlineData("retail", 1000.01, false, true)]
    [InlineData("retail", 3000, true, true)] // the same 3,000 a key account gets without finance
    public async Task Claim_IsReviewedByItsTeam_ApprovedByFinanceAboveItsLimit_AndPaid(string customerType, decimal amount, bool coldChain, bool viaFinance)
    {
        using var cs = await scenario.AsAsync("cs01");
        using var fin = await scenario.AsAsync("fin01");
        var claim = await CreateClaimAsync(cs, customerType, amount, coldChain);
        var id = Id(claim);
        var (review, reviewer) = Review(customerType);
        Assert.Equal("submitted", Text(claim, "status"));
        using var reviewerClient = await scenario.AsAsync(reviewer);
        var expected = new List<(string, string, string)>();

        if (coldChain)
        {
            Assert.Equal(["temperature_evidence"], Active(claim));
            Assert.Null(await FindTaskAsync(reviewerClient, id, review));
            using var qa = await scenario.AsAsync("qa01");
            Assert.Equal("scenario-temperature-log", (await GetAsync(qa, "logistics_claim", id))["data"]!["temperature_log"]![0]!.GetValue<string>());
            var verified = await ActAsync(qa, id, "temperature_evidence", comment: "温度记录已核验，途中超温 2 小时",
                fields: new JsonObject { ["temperature_log"] = new JsonArray("scenario-temperature-log", "scenario-temperature-report") });
            Assert.Equal([review], Active(verified));
            expected.Add(("temperature_evidence", "approve", "qa01"));
        }
        else
        {
            Assert.Equal([review], Active(claim));
        }

        // Only the claim's own team has the review: key accounts are not in the retail queue and the other way round.
        var (otherReview, otherReviewer) = Review(customerType == "ka" ? "retail" : "ka");
        using (var other = await scenario.AsAsync(otherReviewer))
        {
            Assert.Null(await FindTaskAsync(other, id, review));
            Assert.Null(await FindTaskAsync(other, id, otherReview));
        }

        var reviewed = await ActAsync(reviewerClient, id, review, comment: "运单轨迹核实无误");
        expected.Add((review, "approve", reviewer));
        if (viaFinance)
        {
            Assert.Equal(["finance_approval"], Active(reviewed));
            reviewed = await ActAsync(fin, id, "finance_approval");
            expected.Add(("finance_approval", "approve", "fin01"));
        }

        Assert.Equal(["payout"], Active(reviewed));
        Assert.Equal("approved", Text(await GetAsync(cs, "logistics_claim", id), "status"));
        var paid = await ActAsync(fin, id, "payout", comment: "赔款已通过对公账户支付");
        expected.Add(("payout", "approve", "fin01"));
        Assert.Equal("completed", paid["status"]!.GetValue<string>());
        Assert.Equal("paid", Text(await GetAsync(cs, "logistics_claim", id), "status"));
        Assert.Equal(expected, Decisions(await InstanceAsync(cs, claim)));
    }

    [Theory]
    [InlineData("temperature_evidence", "retail")]
    [InlineData("ka_review", "ka")]
    [InlineData("retail_review", "retail")]
    [InlineData("finance_approval", "ka")]
    public async Task Rejection_AtAnyStep_EndsTheClaimRejected(string rejectAt, string customerType)
    {
        using var cs = await scenario.AsAsync("cs01");
        var claim = await CreateClaimAsync(cs, customerType, 8000m, true);
        var id = Id(claim);
        var (review, reviewer) = Review(customerType);
        var reason = $"场景：理赔不成立 {Guid.NewGuid():N}"[..20];
        foreach (var (step, user) in new[] { ("temperature_evidence", "qa01"), (review, reviewer), ("finance_approval", "fin01") })
        {
            using var client = await scenario.AsAsync(user);
            if (step != rejectAt)
            {
                await ActAsync(client, id, step);
                continue;
            }

            var rejected = await ActAsync(client, id, step, "reject", reason);
            Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
            break;
        }

        var stored = await GetAsync(cs, "logistics_claim", id);
        Assert.Equal("rejected", Text(stored, "status"));
        var instance = await InstanceAsync(cs, claim);
        Assert.Empty(instance["tasks"]!.AsArray());
        Assert.Equal(reason, instance["history"]!.AsArray()[^1]!["comment"]!.GetValue<string>());
        Assert.DoesNotContain(instance["history"]!.AsArray(), h => h!["step"]!.GetValue<string>() == "payout");
    }
}
