using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution.PublicForms;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// CSAT through per-record public forms: a service request entering its follow-up (or a completed return) queues an SMS
/// with a signed feedback link; the link opens that request's survey without signing in, the answer is recorded against
/// that request whatever the body says and completes its follow-up, a second answer is refused with 409, an answer staff
/// recorded after a callback does not close the customer's link, and a tampered or expired link is a 404.
/// </summary>
[Collection("platform")]
public sealed partial class FeedbackLinksApiTests(PlatformFixture platform)
{
    private RecordFormLinks Links => platform.Factory.Services.GetRequiredService<RecordFormLinks>();

    [Fact]
    public async Task FollowUp_TextsAFeedbackLink_WhoseAnswerCompletesTheFollowUpAndClosesTheRequest()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "consult", "east", null, phone);
        var other = await CreateTicketAsync(cs, "consult", "east", null, NewPhone());
        var id = Id(ticket);
        Assert.Null(await FeedbackSmsAsync(phone));
        Assert.Equal(["follow_up"], Active(await ActAsync(cs, id, "accept")));
        Assert.Equal("resolved", Text(await GetAsync(cs, "service_request", id), "status"));

        var text = await FeedbackSmsAsync(phone);
        Assert.NotNull(text);
        Assert.StartsWith($"您的服务工单 {Text(ticket, "ticket_no")} 已解决，点此打分并查看进度：", text, StringComparison.Ordinal);
        AssertOneShortLink(text!);
        var link = FormLink().Match(text!);
        Assert.True(link.Success, text);
        Assert.Equal(platform.ServerAddress.ToString().TrimEnd('/'), link.Groups["base"].Value);
        var token = link.Groups["token"].Value;

        using var customer = platform.Anonymous();
        var form = await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK);
        Assert.Equal(("service_feedback", "feedback"), (form["form"]!.GetValue<string>(), form["entity"]!.GetValue<string>()));
        Assert.Equal(Text(ticket, "ticket_no"), form["subject"]!["number"]!.GetValue<string>());

        // The form leads on to the request's timeline, so the text needs no second link.
        var trackingUrl = form["subject"]!["trackingUrl"]!.GetValue<string>();
        Assert.Contains("/t/", trackingUrl, StringComparison.Ordinal);
        var track = await customer.GetAsync(new Uri(trackingUrl).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Assert.False(form["answered"]!.GetValue<bool>());
        Assert.Equal(["rating", "first_time_fix", "comment"], form["fields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()));

        // A rating out of range is refused naming the field, and writes nothing: the follow-up stays open.
        var invalid = await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 6 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["rating"] is JsonArray { Count: > 0 });
        Assert.Equal(0, await FeedbackCountAsync(id));
        Assert.Equal(["follow_up"], Active(await GetAsync(cs, "service_request", id)));

        // The request it is about comes from the link: naming another one in the body changes nothing.
        var sent = await customer.PostAsJsonAsync(
            $"/api/public/forms/{token}", new { data = new { rating = 4, first_time_fix = true, comment = "解答很清楚", service_request = Id(other) } });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var answers = (await ListAsync(cs, "feedback", $"filter=service_request:eq:{id}"))["items"]!.AsArray();
        var answer = Assert.Single(answers)!.AsObject();
        Assert.Equal((4m, true, "解答很清楚"), (answer["data"]!["rating"]!.GetValue<decimal>(), answer["data"]!["first_time_fix"]!.GetValue<bool>(), Text(answer, "comment")));
        Assert.Null(answer["data"]!["return_request"]);
        Assert.Equal("public:service_feedback", answer["createdBy"]!.GetValue<string>());
        Assert.Equal(0, await FeedbackCountAsync(Id(other)));

        // The answer is the follow-up: done by the rule with the answer on the request, and the request closes.
        var closed = await GetAsync(cs, "service_request", id);
        Assert.Equal("closed", Text(closed, "status"));
        Assert.Equal("completed", closed["flow"]!["status"]!.GetValue<string>());
        Assert.Equal((4m, true), (closed["data"]!["csat"]!.GetValue<decimal>(), closed["data"]!["first_time_fix"]!.GetValue<bool>()));
        var instance = await InstanceAsync(cs, ticket);
        Assert.Equal(("follow_up", "approve", "rule:customer_feedback_completes_follow_up"), Decisions(instance)[^1]);
        Assert.Contains(instance["history"]!.AsArray(), h => h!["comment"]?.GetValue<string>() == "客户通过评价链接完成回访：4 分，一次修复");
        Assert.Null(await FindTaskAsync(cs, id, "follow_up"));

        var again = await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 1, comment = "再评一次" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已提交过评价", (await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(1, await FeedbackCountAsync(id));
        Assert.True((await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK))["answered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TrackingLink_OffersTheFeedbackForm_OnlyOnceTheJobIsResolved_AndNoMoreOnceAnswered()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "consult", "east", null, phone);
        var id = Id(ticket);
        var app = (await platform.Factory.Services.GetRequiredService<Platform.Runtime.Execution.AppCatalog>().GetAsync("after_sales", CancellationToken.None))!;
        var tracking = await platform.Factory.Services.GetRequiredService<Platform.Runtime.Execution.Customers.TrackingLinks>().CreateAsync(app, "service_request", Guid.Parse(id), CancellationToken.None);
        var path = "/api/public/links/" + new Uri(tracking!).AbsolutePath.Split('/')[^1];
        using var customer = platform.Anonymous();

        // Open: nothing to rate yet.
        Assert.Empty((await ApiAssert.JsonAsync(await customer.GetAsync(path), HttpStatusCode.OK))["offers"]!.AsArray());

        // Resolved (the offerWhen of service_feedback): the page offers the survey by a signed link of its own.
        Assert.Equal(["follow_up"], Active(await ActAsync(cs, id, "accept")));
        var offer = Assert.Single((await ApiAssert.JsonAsync(await customer.GetAsync(path), HttpStatusCode.OK))["offers"]!.AsArray())!;
        Assert.Equal(("service_feedback", "服务评价"), (offer["form"]!.GetValue<string>(), offer["title"]!.GetValue<string>()));
        var token = FormLink().Match(offer["url"]!.GetValue<string>()).Groups["token"].Value;
        Assert.Equal(RecordFormLinks.TokenLength, token.Length);
        var form = await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK);
        Assert.Equal(Text(ticket, "ticket_no"), form["subject"]!["number"]!.GetValue<string>());

        // Answered through it: the offer is gone.
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 5, first_time_fix = true } })).StatusCode);
        Assert.Equal(1, await FeedbackCountAsync(id));
        Assert.Empty((await ApiAssert.JsonAsync(await customer.GetAsync(path), HttpStatusCode.OK))["offers"]!.AsArray());
    }

    [Fact]
    public async Task FeedbackLink_StillTakesTheCustomersAnswer_WhenCustomerServiceFollowedUpFirst()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "consult", "east", null, phone);
        var id = Id(ticket);
        await ActAsync(cs, id, "accept");
        var token = FormLink().Match((await FeedbackSmsAsync(phone))!).Groups["token"].Value;

        // The customer does not answer in time; customer service calls, records the call's feedback and closes the follow-up.
        var callback = await CreateAsync(cs, "feedback", new JsonObject { ["service_request"] = id, ["rating"] = 3, ["comment"] = "电话回访" });
        Assert.Equal("condition-false", Assert.Single(await FiringsAsync("customer_feedback_completes_follow_up", Id(callback)))!["status"]!.GetValue<string>());
        Assert.Equal(["follow_up"], Active(await GetAsync(cs, "service_request", id)));
        Assert.Equal("completed", (await ActAsync(cs, id, "follow_up", comment: "电话回访：3 分", fields: new JsonObject { ["csat"] = 3 }))["status"]!.GetValue<string>());
        var closed = await GetAsync(cs, "service_request", id);
        Assert.Equal(("closed", 3m), (Text(closed, "status"), closed["data"]!["csat"]!.GetValue<decimal>()));

        // The link still wants the customer's own rating (answeredBy: form); it is recorded and the closed flow stays as it is.
        using var customer = platform.Anonymous();
        Assert.False((await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK))["answered"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 5, first_time_fix = true } })).StatusCode);
        Assert.Equal(2, await FeedbackCountAsync(id));
        var own = (await ListAsync(cs, "feedback", $"filter=service_request:eq:{id}&filter=rating:eq:5"))["items"]!.AsArray().Single()!.AsObject();
        var firing = Assert.Single(await FiringsAsync("customer_feedback_completes_follow_up", Id(own)))!;
        Assert.Equal("fired", firing["status"]!.GetValue<string>());
        Assert.False(firing["actions"]![0]!["result"]!["acted"]!.GetValue<bool>());
        var after = await GetAsync(cs, "service_request", id);
        Assert.Equal(("closed", 3m), (Text(after, "status"), after["data"]!["csat"]!.GetValue<decimal>()));
        Assert.Equal(("follow_up", "approve", "cs01"), Decisions(await InstanceAsync(cs, ticket))[^1]);
        Assert.Equal(HttpStatusCode.Conflict, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 1 } })).StatusCode);
    }

    [Fact]
    public async Task FeedbackLink_IsNotFound_WhenTamperedWithOrExpired()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "consult", "east", null, NewPhone());
        var id = Guid.Parse(Id(ticket));
        var good = await Links.TokenAsync("after_sales", "service_feedback", id, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        var expired = await Links.TokenAsync("after_sales", "service_feedback", id, DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);
        var otherForm = await Links.TokenAsync("after_sales", "no_such_form", id, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        var tampered = good[..20] + (good[20] == 'A' ? 'B' : 'A') + good[21..];
        Assert.Equal(RecordFormLinks.TokenLength, good.Length);

        using var customer = platform.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/public/forms/{good}")).StatusCode);
        foreach (var bad in new[] { tampered, expired, otherForm })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/public/forms/{bad}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await customer.PostAsJsonAsync($"/api/public/forms/{bad}", new { data = new { rating = 5 } })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/f/{bad}")).StatusCode);
        }

        Assert.Equal(0, await FeedbackCountAsync(id.ToString()));

        // A per-record form has no shared link of its own.
        using var admin = await platform.ClientForAsync("admin");
        var shared = (await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms"))!;
        Assert.DoesNotContain(shared, f => f!["form"]!.GetValue<string>() is "service_feedback" or "return_feedback");
    }

    [Fact]
    public async Task RefundedReturn_TextsAFeedbackLink_ThatRecordsTheAnswerAgainstThatReturn()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        using var wh = await platform.ClientForAsync("wh01");
        using var fin = await platform.ClientForAsync("fin01");
        var orderNo = await CreateOrderAsync(cs, 30, 99m);
        var request = await CreateReturnAsync(cs, orderNo, "return", "wrong_item", phone);
        var id = Id(request);
        await ActAsync(cs, id, "cs_review");
        await ActAsync(wh, id, "warehouse_qc");
        Assert.Null(await FeedbackSmsAsync(phone));
        await ActAsync(fin, id, "finance_refund");
        Assert.Equal("refunded", Text(await GetAsync(cs, "return_request", id), "status"));

        var text = await FeedbackSmsAsync(phone);
        Assert.StartsWith($"您的退换货申请 {Text(request, "request_no")} 已退款，点此打分并查看进度：", text, StringComparison.Ordinal);
        AssertOneShortLink(text!);
        var token = FormLink().Match(text!).Groups["token"].Value;
        using var customer = platform.Anonymous();
        var form = await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK);
        Assert.Equal("return_feedback", form["form"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 5, comment = "退款很快" } })).StatusCode);

        var answer = Assert.Single((await ListAsync(cs, "feedback", $"filter=return_request:eq:{id}"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(5m, answer["data"]!["rating"]!.GetValue<decimal>());
        Assert.Null(answer["data"]!["service_request"]);
        Assert.Equal(HttpStatusCode.Conflict, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 2 } })).StatusCode);

        // A return has no follow-up to complete: the answer is recorded and the ended flow stays as it is.
        Assert.Equal("condition-false", Assert.Single(await FiringsAsync("customer_feedback_completes_follow_up", Id(answer)))!["status"]!.GetValue<string>());
        Assert.Equal("completed", (await GetAsync(cs, "return_request", id))["flow"]!["status"]!.GetValue<string>());
    }

    private async Task<JsonArray> FiringsAsync(string rule, string recordId)
    {
        using var admin = await platform.ClientForAsync("admin");
        return (await admin.GetFromJsonAsync<JsonArray>($"/api/apps/after_sales/rules/firings?rule={rule}&record={recordId}"))!;
    }

    /// <summary>
    /// One link, and at most two SMS parts: a message with Chinese characters is one 70-character segment, or 67 per part
    /// when split, the link counted as its length. A 55-character signed token makes one segment out of reach.
    /// </summary>
    private static void AssertOneShortLink(string text)
    {
        Assert.Single(Regex.Matches(text, @"https?://\S+"));
        var parts = text.Length <= 70 ? 1 : (text.Length + 66) / 67;
        Assert.True(parts <= 2, $"{text.Length} characters make {parts} SMS parts: {text}");
    }

    private Task<string?> FeedbackSmsAsync(string phone) => platform.ScalarAsync<string?>(
        "select payload->>'text' from outbox where kind = 'sms' and payload->>'to' = $1 and payload->>'text' like '%打分%' order by created_at desc limit 1", phone);

    private Task<long> FeedbackCountAsync(string requestId) => platform.CountAsync(
        "select count(*) from records where app_key = 'after_sales' and entity_key = 'feedback' and (data->>'service_request' = $1 or data->>'return_request' = $1)", requestId);

    [GeneratedRegex(@"(?<base>https?://[^/\s]+)/f/(?<token>[A-Za-z0-9_-]{55})")]
    private static partial Regex FormLink();
}
