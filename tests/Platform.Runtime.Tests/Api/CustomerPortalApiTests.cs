using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Customers;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Integrations;
using Platform.Runtime.Tests.Ui;
using static Platform.Runtime.Tests.Api.CustomerKit;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// The login-free customer self-service through HTTP: one-time SMS codes through the outbox (hashed, single use,
/// expiring, five tries, rate-limited with 429 + Retry-After), the customer session (its phone's requests only, never
/// a staff API) and signed tracking links (valid, tampered, expired, and the one a status-change SMS carries).
/// </summary>
[Collection("platform")]
public sealed partial class CustomerPortalApiTests(PlatformFixture platform)
{
    private TrackingLinks Links => platform.Factory.Services.GetRequiredService<TrackingLinks>();

    [Fact]
    public async Task SendCode_QueuesOneSmsWithASixDigitCode_AndKeepsOnlyItsHash()
    {
        using var client = platform.Anonymous();
        var phone = NewPhone();
        var response = await client.PostAsJsonAsync($"{Base}/otp", new { phone });
        var body = await ApiAssert.JsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(60, body["resendAfterSeconds"]!.GetValue<int>());
        Assert.Equal(300, body["expiresInSeconds"]!.GetValue<int>());

        Assert.Equal(1, await platform.CountAsync("select count(*) from outbox where kind = 'sms' and payload->>'purpose' = 'customer-code' and payload->>'to' = $1", phone));
        var code = await CodeAsync(platform, phone);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("【售后服务】您的验证码为 " + code, await CodeTextAsync(platform, phone));
        var hash = await platform.ScalarAsync("select code_hash from customer_codes where phone = $1", phone);
        Assert.Equal(64, hash!.Length);
        Assert.DoesNotContain(code, hash, StringComparison.Ordinal);

        // Sent once by the dispatcher (logging provider here), and readable by administrators while it is valid.
        var id = Guid.Parse((await platform.ScalarAsync("select id from outbox where payload->>'to' = $1 and payload->>'purpose' = 'customer-code'", phone))!);
        Assert.Equal("sent", (await OutboxProbe.WaitAsync(platform.ConnectionString, id)).Status);
        using var admin = await platform.ClientForAsync("admin");
        var message = (await admin.GetFromJsonAsync<JsonObject>($"/api/outbox/{id}"))!;
        Assert.Contains(code, message["payload"]!["text"]!.GetValue<string>());
        Assert.Single(message["deliveries"]!.AsArray());
    }

    [Fact]
    public async Task Verify_OpensASessionListingOnlyThatPhonesRequests_NewestFirst_WithCustomerSafeFields()
    {
        var phone = NewPhone();
        var other = NewPhone();
        var older = await CreateServiceRequestAsync(platform, phone, "install", "安装新空调");
        var newer = await CreateServiceRequestAsync(platform, phone, "repair", "洗衣机漏水");
        var foreign = await CreateServiceRequestAsync(platform, other, "repair", "别人的工单");

        using var client = platform.Anonymous();
        var code = await SendCodeAsync(platform, client, phone);
        var verified = await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code });
        var session = await ApiAssert.JsonAsync(verified, HttpStatusCode.OK);
        Assert.Equal(phone[..3] + "****" + phone[^4..], session["phone"]!.GetValue<string>());
        var cookie = Assert.Single(verified.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CustomerSessions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(session["expiresAt"]!.GetValue<DateTimeOffset>() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(115), TimeSpan.FromMinutes(121));

        // The cookie alone (kept by the client) opens the list.
        var list = (await client.GetFromJsonAsync<JsonObject>($"{Base}/my/requests"))!;
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal([No(newer), No(older)], items.Select(i => i["trackingNo"]!.GetValue<string>()));
        Assert.DoesNotContain(items, i => i["trackingNo"]!.GetValue<string>() == No(foreign));
        var first = items[0];
        Assert.Equal(("service_request", "服务工单", "repair", "维修"), (first["entity"]!.GetValue<string>(), first["entityLabel"]!.GetValue<string>(), first["type"]!.GetValue<string>(), first["typeLabel"]!.GetValue<string>()));
        Assert.Equal("new", first["status"]!.GetValue<string>());
        Assert.Equal("新建", first["statusLabel"]!.GetValue<string>());
        Assert.Equal(["address", "description", "order_no"], first["fields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()).Order());
        Assert.Equal("洗衣机漏水", first["fields"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "description")!["text"]!.GetValue<string>());
        var entry = first["timeline"]!.AsArray()[0]!.AsObject();
        Assert.Equal(["at", "status", "step", "text"], entry.Select(p => p.Key).Order());
        Assert.Equal("已提交申请", entry["text"]!.GetValue<string>());
        var raw = list.ToJsonString();
        Assert.DoesNotContain(phone, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("林晓", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("cs01", raw, StringComparison.Ordinal);

        // The code is used up.
        Assert.Equal(["code"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code })));
    }

    [Fact]
    public async Task Verify_WithAnotherPhone_ReplacesTheBrowsersOneSession_AndSigningOutEndsIt()
    {
        var (first, second, third) = (NewPhone(), NewPhone(), NewPhone());
        var mine = await CreateServiceRequestAsync(platform, first, "repair", "第一个号码的工单");
        var theirs = await CreateServiceRequestAsync(platform, second, "install", "第二个号码的工单");
        var another = await CreateServiceRequestAsync(platform, third, "maintain", "第三个号码的工单");
        using var client = platform.Anonymous();
        async Task<List<string>> ListedAsync() =>
            [.. (await client.GetFromJsonAsync<JsonObject>($"{Base}/my/requests"))!["items"]!.AsArray().Select(i => i!["trackingNo"]!.GetValue<string>())];

        await SignInAsync(platform, client, first);
        Assert.Equal([No(mine)], await ListedAsync());

        // Signing out (退出 on /my) clears the cookie: the list is 401 until a phone is verified again.
        Assert.True((await client.DeleteAsync($"{Base}/session")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{Base}/my/requests")).StatusCode);
        await SignInAsync(platform, client, second);
        Assert.Equal([No(theirs)], await ListedAsync());

        // Verifying another phone without signing out replaces the session: one phone per browser, never both.
        await SignInAsync(platform, client, third);
        Assert.Equal([No(another)], await ListedAsync());
    }

    [Fact]
    public async Task CustomerSession_NeverReachesAStaffApi_NorAnotherApp_AndNoSessionIs401()
    {
        var phone = NewPhone();
        await CreateServiceRequestAsync(platform, phone);
        using var client = platform.Anonymous();
        var token = await SignInAsync(platform, client, phone);

        foreach (var path in new[] { "/api/apps/after_sales/entities/service_request/records", "/api/tasks", "/api/apps", "/api/outbox" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
            using var bearer = new HttpRequestMessage(HttpMethod.Get, path);
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(bearer)).StatusCode);
        }

        using var staffCookie = new HttpRequestMessage(HttpMethod.Get, "/api/apps");
        staffCookie.Headers.Add("Cookie", $"platform.auth={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(staffCookie)).StatusCode);

        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Base}/my/requests")).StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, $"{Base}/my/requests");
        header.Headers.Add(CustomerSessions.HeaderName, token);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(header)).StatusCode);
        using var otherApp = new HttpRequestMessage(HttpMethod.Get, "/api/public/apps/other_app/my/requests");
        otherApp.Headers.Add(CustomerSessions.HeaderName, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(otherApp)).StatusCode);
        using var tampered = new HttpRequestMessage(HttpMethod.Get, $"{Base}/my/requests");
        tampered.Headers.Add(CustomerSessions.HeaderName, token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(tampered)).StatusCode);

        // Signing out clears the cookie.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Base}/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{Base}/my/requests")).StatusCode);
    }

    [Fact]
    public async Task Verify_AnswersOneGeneric422_ForWrongExpiredAndMalformedCodes()
    {
        using var client = platform.Anonymous();
        var phone = NewPhone();
        var code = await SendCodeAsync(platform, client, phone);
        var wrong = code == "000000" ? "000001" : "000000";

        var messages = new List<string>();
        foreach (var attempt in new[] { wrong, "12ab", string.Empty })
        {
            messages.Add(await CodeProblemAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code = attempt })));
        }

        // Expired (its five minutes are over): the same answer, although the code is right.
        await ExecuteAsync(platform, "update customer_codes set expires_at = now() - interval '1 second' where phone = $1", phone);
        messages.Add(await CodeProblemAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code })));
        Assert.Single(messages.Distinct());

        // A phone that never asked: the same again; a malformed phone names the phone.
        Assert.Equal(["code"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone = NewPhone(), code })));
        Assert.Equal(["phone"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone = "12345", code })));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/public/apps/no_such_app/otp/verify", new { phone, code })).StatusCode);
    }

    [Fact]
    public async Task Verify_RefusesEvenTheRightCode_AfterFiveWrongTries()
    {
        using var client = platform.Anonymous();
        var phone = NewPhone();
        var code = await SendCodeAsync(platform, client, phone);
        for (var i = 0; i < 5; i++)
        {
            var guess = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + i + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(["code"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code = guess })));
        }

        Assert.Equal(["code"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code })));
        Assert.Equal("5", await platform.ScalarAsync("select attempts from customer_codes where phone = $1", phone));
        Assert.Equal(0, await platform.CountAsync("select count(*) from customer_codes where phone = $1 and used_at is not null", phone));
    }

    [Fact]
    public async Task SendCode_Answers429WithRetryAfter_OnAQuickResend_TooManyPerPhone_AndTooManyPerAddress()
    {
        using var client = platform.Anonymous();
        Assert.Equal(["phone"], await ApiAssert.InvalidFieldsAsync(await client.PostAsJsonAsync($"{Base}/otp", new { phone = "2345678901" })));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/public/apps/no_such_app/otp", new { phone = NewPhone() })).StatusCode);

        var phone = NewPhone();
        await SendCodeAsync(platform, client, phone);
        var again = await client.PostAsJsonAsync($"{Base}/otp", new { phone });
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.InRange(int.Parse(again.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(1, await platform.CountAsync("select count(*) from outbox where payload->>'purpose' = 'customer-code' and payload->>'to' = $1", phone));

        // Five codes within the hour (the last well over a minute ago): the sixth waits for the oldest to leave the hour.
        var busy = NewPhone();
        await ExecuteAsync(platform, """
            insert into customer_codes (id, app_key, phone, code_hash, client_address, created_at, expires_at)
            select gen_random_uuid(), 'after_sales', $1, 'x', 'test-elsewhere', now() - make_interval(mins => 10 + g), now() - interval '5 minutes' from generate_series(1, 5) g
            """, busy);
        var perPhone = await client.PostAsJsonAsync($"{Base}/otp", new { phone = busy });
        Assert.Equal(HttpStatusCode.TooManyRequests, perPhone.StatusCode);
        Assert.InRange(int.Parse(perPhone.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 44 * 60, 46 * 60);

        // Thirty codes from this client's address within the hour: a fresh phone is refused too.
        var address = (await platform.ScalarAsync("select client_address from customer_codes where phone = $1", phone))!;
        var used = await platform.CountAsync("select count(*) from customer_codes where client_address = $1 and created_at > now() - interval '1 hour'", address);
        var filler = Enumerable.Range(0, (int)Math.Max(0, 30 - used)).Select(_ => Guid.NewGuid()).ToArray();
        await ExecuteAsync(platform, """
            insert into customer_codes (id, app_key, phone, code_hash, client_address, created_at, expires_at)
            select id, 'after_sales', '19900000000', 'x', $2, now() - interval '2 minutes', now() - interval '1 minute' from unnest($1::uuid[]) id
            """, filler, address);
        try
        {
            var perAddress = await client.PostAsJsonAsync($"{Base}/otp", new { phone = NewPhone() });
            Assert.Equal(HttpStatusCode.TooManyRequests, perAddress.StatusCode);
            Assert.True(int.Parse(perAddress.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 60);
            Assert.Equal("application/problem+json", perAddress.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await ExecuteAsync(platform, "delete from customer_codes where id = any($1) or phone = $2", filler, busy);
        }
    }

    [Fact]
    public async Task TrackingLink_OpensItsRecord_AndTamperedExpiredOrUntrackedLinksAre404()
    {
        var record = await CreateServiceRequestAsync(platform, NewPhone());
        var id = Guid.Parse(record["id"]!.GetValue<string>());
        var app = (await platform.Factory.Services.GetRequiredService<AppCatalog>().GetAsync(App, CancellationToken.None))!;
        var link = (await Links.CreateAsync(app, "service_request", id, CancellationToken.None))!;
        Assert.StartsWith(platform.ServerAddress.ToString().TrimEnd('/') + "/t/", link, StringComparison.Ordinal);
        var token = link[(link.LastIndexOf('/') + 1)..];
        Assert.Equal(TrackingLinks.TokenLength, token.Length);

        using var client = platform.Anonymous();
        var opened = await ApiAssert.JsonAsync(await client.GetAsync($"/api/public/links/{token}"), HttpStatusCode.OK);
        Assert.Equal(No(record), opened["trackingNo"]!.GetValue<string>());
        Assert.DoesNotContain("林晓", opened.ToJsonString(), StringComparison.Ordinal);

        var page = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(No(record), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tampered = token[..10] + (token[10] == 'x' ? 'y' : 'x') + token[11..];
        var expired = await Links.TokenAsync(id, DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);
        var customer = Guid.Parse((await platform.ScalarAsync("select id from records where entity_key = 'customer' limit 1"))!);
        Assert.Null(await Links.CreateAsync(app, "customer", customer, CancellationToken.None));
        var untracked = await Links.TokenAsync(customer, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        var missing = await Links.TokenAsync(Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        foreach (var bad in new[] { tampered, expired, untracked, missing, token[..^1], "not-a-token" })
        {
            var response = await client.GetAsync($"/api/public/links/{bad}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(No(record), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var badPage = await client.GetAsync($"/t/{tampered}");
        Assert.Equal(HttpStatusCode.NotFound, badPage.StatusCode);
        Assert.Contains("链接无效或已过期", await badPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusChange_QueuesAnSmsToTheCustomerWithASignedLink_ThatOpensTheRequest()
    {
        var phone = NewPhone();
        var record = await CreateServiceRequestAsync(platform, phone);
        using var cs = await platform.ClientForAsync("cs01");
        var tasks = (await cs.GetFromJsonAsync<JsonArray>("/api/tasks?box=todo&limit=500"))!;
        var accept = tasks.Single(t => t!["recordId"]!.GetValue<string>() == record["id"]!.GetValue<string>() && t["step"]!.GetValue<string>() == "accept")!;
        await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/tasks/{accept["id"]}/actions", new { action = "approve" }), HttpStatusCode.OK);

        var text = await platform.ScalarAsync(
            "select payload->>'text' from outbox where kind = 'sms' and payload->>'to' = $1 and payload->>'purpose' is null order by created_at desc limit 1", phone);
        Assert.NotNull(text);
        Assert.Contains($"您的服务工单 {No(record)} 状态更新为「", text, StringComparison.Ordinal);
        var link = LinkPattern().Match(text!);
        Assert.True(link.Success, text);
        Assert.Equal(platform.ServerAddress.ToString().TrimEnd('/'), link.Groups["base"].Value);

        using var client = platform.Anonymous();
        var opened = await ApiAssert.JsonAsync(await client.GetAsync($"/api/public/links/{link.Groups["token"].Value}"), HttpStatusCode.OK);
        Assert.Equal(No(record), opened["trackingNo"]!.GetValue<string>());
        Assert.NotEqual("new", opened["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReturnStatusChange_TextsTheCustomerTheNewStatusAndASignedLink_WhenCustomerServiceRejects()
    {
        var phone = NewPhone();
        using var cs = await platform.ClientForAsync("cs01");
        var orderNo = await Scenarios.AfterSalesScenario.CreateOrderAsync(cs, 30, 99m);
        var record = await Scenarios.AfterSalesScenario.CreateReturnAsync(cs, orderNo, "return", "wrong_item", phone);
        await Scenarios.AfterSalesScenario.ActAsync(cs, record["id"]!.GetValue<string>(), "cs_review", "reject", "照片显示商品完好，不符合退货条件");

        var text = await platform.ScalarAsync(
            "select payload->>'text' from outbox where kind = 'sms' and payload->>'to' = $1 and payload->>'purpose' is null order by created_at desc limit 1", phone);
        Assert.StartsWith($"您的退换货申请 {No(record)} 状态更新为「已驳回」，查看进度：", text, StringComparison.Ordinal);
        var link = LinkPattern().Match(text!);
        Assert.True(link.Success, text);

        using var client = platform.Anonymous();
        var opened = await ApiAssert.JsonAsync(await client.GetAsync($"/api/public/links/{link.Groups["token"].Value}"), HttpStatusCode.OK);
        Assert.Equal(("rejected", "已驳回"), (opened["status"]!.GetValue<string>(), opened["statusLabel"]!.GetValue<string>()));
        Assert.Contains(opened["timeline"]!.AsArray(), e => e!["text"]!.GetValue<string>().Contains("照片显示商品完好", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MyPage_OffersEachAppsPortal_AndASessionSeesOnlyItsOwnAppsRecords_WhenACopyOfTheTemplateHasOne()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var created = await analyst.PostAsJsonAsync("/api/apps", new { key = "portal_copy", name = "售后副本（自助）", template = "after-sales" });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");

        using var client = platform.Anonymous();
        var page = await client.GetStringAsync("/my");
        Assert.Contains("data-testid=\"my-choose\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"my-app-after_sales\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"my-app-portal_copy\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"my-sign-in\"", await client.GetStringAsync("/my?app=portal_copy"), StringComparison.Ordinal);

        // The same phone verified in the copy sees none of the template app's requests.
        var phone = NewPhone();
        await CreateServiceRequestAsync(platform, phone);
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/public/apps/portal_copy/otp", new { phone }), HttpStatusCode.Accepted);
        var code = await CodeAsync(platform, phone);
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/public/apps/portal_copy/otp/verify", new { phone, code }), HttpStatusCode.OK);
        var copy = (await client.GetFromJsonAsync<JsonObject>("/api/public/apps/portal_copy/my/requests"))!;
        Assert.Empty(copy["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{Base}/my/requests")).StatusCode);
    }

    /// <summary>Asserts a 422 naming only <c>code</c> and returns its message.</summary>
    private static async Task<string> CodeProblemAsync(HttpResponseMessage response)
    {
        var body = await ApiAssert.JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["code"], body["errors"]!.AsObject().Select(e => e.Key));
        return body["errors"]!["code"]![0]!.GetValue<string>();
    }

    private static string No(JsonObject record) => record["data"]!["ticket_no"]?.GetValue<string>() ?? record["data"]!["request_no"]!.GetValue<string>();

    [GeneratedRegex(@"(?<base>https?://[^\s/]+)/t/(?<token>[A-Za-z0-9_-]{50})")]
    private static partial Regex LinkPattern();
}
