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
/// CSAT through per-record public forms: closing a service request (or completing a return) queues an SMS with a signed
/// feedback link; the link opens that request's survey without signing in, the answer is recorded against that request
/// whatever the body says, a second answer is refused with 409, and a tampered or expired link is a 404.
/// </summary>
[Collection("platform")]
public sealed partial class FeedbackLinksApiTests(PlatformFixture platform)
{
    private RecordFormLinks Links => platform.Factory.Services.GetRequiredService<RecordFormLinks>();

    [Fact]
    public async Task ClosedServiceRequest_TextsAFeedbackLink_ThatTakesOneAnswerAboutThatRequest()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "consult", "east", null, phone);
        var other = await CreateTicketAsync(cs, "consult", "east", null, NewPhone());
        var id = Id(ticket);
        await ActAsync(cs, id, "accept");
        Assert.Null(await FeedbackSmsAsync(phone));
        await ActAsync(cs, id, "follow_up", comment: "已电话解答");
        Assert.Equal("closed", Text(await GetAsync(cs, "service_request", id), "status"));

        var text = await FeedbackSmsAsync(phone);
        Assert.NotNull(text);
        Assert.StartsWith($"您的服务工单 {Text(ticket, "ticket_no")} 已关单。", text, StringComparison.Ordinal);
        var link = FormLink().Match(text!);
        Assert.True(link.Success, text);
        Assert.Equal(platform.ServerAddress.ToString().TrimEnd('/'), link.Groups["base"].Value);
        var token = link.Groups["token"].Value;

        using var customer = platform.Anonymous();
        var form = await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK);
        Assert.Equal(("service_feedback", "feedback"), (form["form"]!.GetValue<string>(), form["entity"]!.GetValue<string>()));
        Assert.Equal(Text(ticket, "ticket_no"), form["subject"]!["number"]!.GetValue<string>());
        Assert.False(form["answered"]!.GetValue<bool>());
        Assert.Equal(["rating", "first_time_fix", "comment"], form["fields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()));

        // A rating out of range is refused naming the field, and writes nothing.
        var invalid = await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 6 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["rating"] is JsonArray { Count: > 0 });
        Assert.Equal(0, await FeedbackCountAsync(id));

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

        var again = await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 1, comment = "再评一次" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已提交过评价", (await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(1, await FeedbackCountAsync(id));
        Assert.True((await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK))["answered"]!.GetValue<bool>());
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
        Assert.StartsWith($"您的退换货申请 {Text(request, "request_no")} 已办理完成", text, StringComparison.Ordinal);
        var token = FormLink().Match(text!).Groups["token"].Value;
        using var customer = platform.Anonymous();
        var form = await ApiAssert.JsonAsync(await customer.GetAsync($"/api/public/forms/{token}"), HttpStatusCode.OK);
        Assert.Equal("return_feedback", form["form"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 5, comment = "退款很快" } })).StatusCode);

        var answer = Assert.Single((await ListAsync(cs, "feedback", $"filter=return_request:eq:{id}"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(5m, answer["data"]!["rating"]!.GetValue<decimal>());
        Assert.Null(answer["data"]!["service_request"]);
        Assert.Equal(HttpStatusCode.Conflict, (await customer.PostAsJsonAsync($"/api/public/forms/{token}", new { data = new { rating = 2 } })).StatusCode);
    }

    private Task<string?> FeedbackSmsAsync(string phone) => platform.ScalarAsync<string?>(
        "select payload->>'text' from outbox where kind = 'sms' and payload->>'to' = $1 and payload->>'text' like '%打分%' order by created_at desc limit 1", phone);

    private Task<long> FeedbackCountAsync(string requestId) => platform.CountAsync(
        "select count(*) from records where app_key = 'after_sales' and entity_key = 'feedback' and (data->>'service_request' = $1 or data->>'return_request' = $1)", requestId);

    [GeneratedRegex(@"(?<base>https?://[^/\s]+)/f/(?<token>[A-Za-z0-9_-]{55})")]
    private static partial Regex FormLink();
}
