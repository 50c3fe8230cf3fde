using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Printing;
using Platform.Runtime.Execution.Printing;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Ui;

namespace Platform.Runtime.Tests.Api;

/// <summary>Print pages and print templates through HTTP against real PostgreSQL with the demo data.</summary>
[Collection("platform")]
public sealed partial class PrintApiTests(PlatformFixture platform)
{
    private const string Print = "/api/apps/after_sales/print";

    private static JsonObject NotesPackage(string key, string html) => JsonNode.Parse($$"""
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "{{key}}", "name": "打印测试" },
          "entities": [
            { "key": "note", "label": "便签", "titleField": "title", "fields": [
              { "key": "title", "type": "text", "label": "标题", "required": true },
              { "key": "body", "type": "textarea", "label": "内容" },
              { "key": "urgent", "type": "boolean", "label": "加急" } ] },
            { "key": "note_line", "label": "便签明细", "fields": [
              { "key": "note", "type": "reference", "label": "便签", "reference": { "entity": "note" } },
              { "key": "text", "type": "text", "label": "内容" } ] }
          ],
          "printTemplates": [ { "key": "sheet", "entity": "note", "label": "便签单", "html": {{JsonValue.Create(html).ToJsonString()}} } ]
        }
        """)!.AsObject();

    private static async Task<string> PageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return text;
    }

    private static IReadOnlyList<string> SheetIds(string page) =>
        SheetId().Matches(page).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Print_AnswersAnA4ReturnSlipWithTheTrackingQrCode_ForOneReturnRequest()
    {
        using var client = await platform.ClientForAsync("cs01");
        var list = await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales/entities/return_request/records?pageSize=1&filter=reason:eq:quality"), HttpStatusCode.OK);
        var record = list["items"]![0]!.AsObject();
        var id = record["id"]!.GetValue<string>();
        var data = record["data"]!.AsObject();

        var response = await client.GetAsync($"{Print}/return_slip?ids={id}");

        var page = await PageAsync(response);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("script-src 'self'", csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Contains("img-src data:", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4 portrait;", page, StringComparison.Ordinal);
        Assert.Equal([id], SheetIds(page));
        Assert.Contains("<h1>退货单</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"<strong>{data["request_no"]!.GetValue<string>()}</strong>", page, StringComparison.Ordinal);
        Assert.Contains($"<td>{data["phone"]!.GetValue<string>()}</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>质量问题</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", page, StringComparison.Ordinal);

        // The QR code is the tracking link of this request's number, inline; the button script is the only script.
        var trackingUrl = PrintLinks.TrackingUrl(platform.ServerAddress.ToString(), data["request_no"]!.GetValue<string>());
        Assert.Contains($"src=\"{PrintQrCode.DataUri(trackingUrl)}\"", page, StringComparison.Ordinal);
        Assert.Equal(["<script src=\"/_content/Platform.Designer/js/print.js\">"], Regex.Matches(page, "<script[^>]*>").Select(m => m.Value));
        var script = await client.GetAsync(PrintService.ScriptUrl);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("window.print()", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Money with its decimals, the customer by name (a reference), the flow's status as its label.
        var customer = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/after_sales/entities/customer/records/{data["customer"]!.GetValue<string>()}"), HttpStatusCode.OK);
        Assert.Contains($"<td>{WebUtility.HtmlEncode(customer["data"]!["name"]!.GetValue<string>())}</td>", page, StringComparison.Ordinal);
        Assert.Matches(@"<th>单价（元）</th><td>[\d,]+\.\d\d</td>", page);
    }

    [Fact]
    public async Task Print_AnswersOneSheetPerRecordInTheOrderGiven_ForABatch()
    {
        using var client = await platform.ClientForAsync("sup01");
        var list = await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales/entities/return_request/records?pageSize=5"), HttpStatusCode.OK);
        var ids = list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Reverse().ToList();

        var page = await PageAsync(await client.GetAsync($"{Print}/return_slip?ids={string.Join(",", ids)},{ids[0]}"));

        Assert.Equal(ids, SheetIds(page));
        Assert.Contains("<title>退货单（5 份）</title>", page, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(page, Regex.Escape(".print-sheet:last-child { break-after: auto;")));
    }

    [Fact]
    public async Task Print_ListsThePartsUsed_ForARepairWorkOrder()
    {
        var (ticketId, partId) = await platform.FirstAsync("""
            select (u.data->>'service_request')::uuid, (u.data->>'part')::uuid from records u
            where u.app_key = 'after_sales' and u.entity_key = 'part_usage' order by u.created_at limit 1
            """);
        var partName = await platform.ScalarAsync("select data->>'name' from records where id = $1", partId);
        var uses = await platform.CountAsync("select count(*) from records where entity_key = 'part_usage' and data->>'service_request' = $1", ticketId.ToString());
        // The supervisor reads every ticket and its part lines (an engineer prints only their own jobs).
        using var client = await platform.ClientForAsync("sup01");

        var page = await PageAsync(await client.GetAsync($"{Print}/work_order?ids={ticketId}"));

        Assert.Contains("<h1>维修工单</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"<td>{WebUtility.HtmlEncode(partName)}</td>", page, StringComparison.Ordinal);
        Assert.Equal(uses, Regex.Matches(page, @"<tr><td>\d+</td><td>[^<]+</td><td>\d+</td><td></td></tr>").Count);
    }

    [Fact]
    public async Task Print_PrintsMarkupInRecordsAsText_AndListsRelatedRecords_ForAnImportedTemplate()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "print_xss_" + Guid.NewGuid().ToString("N")[..6];
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", NotesPackage(key,
            "<h2>{{title}}</h2><div class=\"body\">{{body}}</div><p>{{urgent}}</p><ul>{{#related note_line.note}}<li>{{_index}}. {{text}}</li>{{/related}}</ul>")), HttpStatusCode.Created);
        const string Evil = "<script>alert('xss')</script><img src=x onerror=alert(1)>";
        var note = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"/api/apps/{key}/entities/note/records", new { data = new { title = Evil, body = "第一行\n</div><b>粗</b>", urgent = true } }), HttpStatusCode.Created);
        var id = note["id"]!.GetValue<string>();
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"/api/apps/{key}/entities/note_line/records", new { data = new { note = id, text = "<i>一</i>" } }), HttpStatusCode.Created);

        var page = await PageAsync(await admin.GetAsync($"/api/apps/{key}/print/sheet?ids={id}"));

        Assert.Single(Regex.Matches(page, "<script"));
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>粗", page, StringComparison.Ordinal);
        Assert.Contains("<h2>&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<div class=\"body\">第一行<br>&lt;/div&gt;&lt;b&gt;粗&lt;/b&gt;</div>", page, StringComparison.Ordinal);
        Assert.Contains("<p>是</p>", page, StringComparison.Ordinal);
        Assert.Contains("<li>1. &lt;i&gt;一&lt;/i&gt;</li>", page, StringComparison.Ordinal);
        Assert.Contains("<title>便签单 &lt;script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns422NamingTheTemplateHtml_AndWritesNothing_WhenTheTemplateIsUnsafeOrUnknown()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "print_bad_" + Guid.NewGuid().ToString("N")[..6];
        var package = NotesPackage(key, "<p onclick=\"steal()\">{{title}}</p><script>alert(1)</script><img src=\"https://evil.example/x.png\">{{colour}}");

        var response = await admin.PostAsJsonAsync("/api/apps/import", package);

        var errors = (await ApiAssert.JsonAsync(response, HttpStatusCode.UnprocessableEntity))["errors"]!.AsObject();
        Assert.Equal(["$.printTemplates[0].html"], errors.Select(e => e.Key));
        var messages = errors["$.printTemplates[0].html"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Contains(messages, m => m.Contains("onclick", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("<script>", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("data:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("colour", StringComparison.Ordinal) && m.StartsWith("第 1 行", StringComparison.Ordinal));
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = $1", key));
    }

    [Fact]
    public async Task Print_AnswersProblems_WhenTheTemplateOrRecordsAreUnknownOrTheIdsInvalid()
    {
        using var client = await platform.ClientForAsync("cs01");
        var ticket = (await ApiAssert.JsonAsync(await client.GetAsync("/api/apps/after_sales/entities/service_request/records?pageSize=1"), HttpStatusCode.OK))["items"]![0]!["id"]!.GetValue<string>();
        var missing = Guid.NewGuid();

        var noTemplate = await client.GetAsync($"{Print}/no_such_template?ids={ticket}");
        var noApp = await client.GetAsync($"/api/apps/no_such_app/print/return_slip?ids={ticket}");
        var noRecord = await client.GetAsync($"{Print}/work_order?ids={ticket},{missing}");
        var otherEntity = await client.GetAsync($"{Print}/return_slip?ids={ticket}");

        Assert.Equal(HttpStatusCode.NotFound, noTemplate.StatusCode);
        Assert.Equal("application/problem+json", noTemplate.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, noApp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRecord.StatusCode);
        var detail = (await noRecord.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        Assert.Contains(missing.ToString(), detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ticket, detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherEntity.StatusCode);

        Assert.Equal(["ids"], await ApiAssert.InvalidFieldsAsync(await client.GetAsync($"{Print}/work_order")));
        Assert.Equal(["ids"], await ApiAssert.InvalidFieldsAsync(await client.GetAsync($"{Print}/work_order?ids=,")));
        Assert.Equal(["ids"], await ApiAssert.InvalidFieldsAsync(await client.GetAsync($"{Print}/work_order?ids={ticket},not-an-id")));
        var tooMany = string.Join(",", Enumerable.Range(0, PrintService.MaxRecords + 1).Select(_ => Guid.NewGuid()));
        Assert.Equal(["ids"], await ApiAssert.InvalidFieldsAsync(await client.GetAsync($"{Print}/work_order?ids={tooMany}")));
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Print}/work_order?ids={ticket}")).StatusCode);
    }

    [Fact]
    public async Task PrintTemplates_ListsTheTemplates_OfTheAppOrOneEntity()
    {
        using var client = await platform.ClientForAsync("cs01");

        var all = await client.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/print-templates");
        var returns = await client.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/print-templates?entity=return_request");

        Assert.Equal(["return_slip", "work_order"], all!.Select(t => t!["key"]!.GetValue<string>()));
        var slip = Assert.Single(returns!)!.AsObject();
        Assert.Equal("退货单", slip["label"]!.GetValue<string>());
        Assert.Equal("Return slip", slip["labelEn"]!.GetValue<string>());
        Assert.Equal("a4-portrait", slip["paper"]!.GetValue<string>());
        Assert.Null(slip["html"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/apps/after_sales/print-templates?entity=spaceship")).StatusCode);

        using var admin = await platform.ClientForAsync("admin");
        var exported = await admin.GetFromJsonAsync<JsonObject>("/api/apps/after_sales/export");
        Assert.Equal(["return_slip", "work_order"], exported!["printTemplates"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PublishPrintTemplate_PublishesANewVersion_OrAnswers422AtTheTemplatesPath()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = "print_pub_" + Guid.NewGuid().ToString("N")[..6];
        await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", NotesPackage(key, "<p>{{title}}</p>")), HttpStatusCode.Created);
        var version = await platform.CountAsync("select version from apps where key = $1", key);
        var url = $"/api/apps/{key}/print-templates/label";

        var unsafeHtml = await admin.PutAsJsonAsync(url, new { key = "label", entity = "note", label = "标签", html = "<img src=x onerror=alert(1)>{{nothing}}" });
        var wrongKey = await admin.PutAsJsonAsync(url, new { key = "other", entity = "note", label = "标签", html = "x" });
        var badEntity = await admin.PutAsJsonAsync(url, new { key = "label", entity = "ghost", label = "标签", html = "x" });
        using var cs = await platform.ClientForAsync("cs01");
        var forbidden = await cs.PutAsJsonAsync(url, new { key = "label", entity = "note", label = "标签", html = "x" });

        Assert.Equal(["html"], await ApiAssert.InvalidFieldsAsync(unsafeHtml));
        Assert.Equal(["key"], await ApiAssert.InvalidFieldsAsync(wrongKey));
        Assert.Equal(["entity"], await ApiAssert.InvalidFieldsAsync(badEntity));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(version, await platform.CountAsync("select version from apps where key = $1", key));

        var published = await ApiAssert.JsonAsync(
            await admin.PutAsJsonAsync(url, new { key = "label", entity = "note", label = "标签", paper = "a4-landscape", html = "<h3>{{title}}</h3>{{qr:record}}" }), HttpStatusCode.OK);

        Assert.Equal("a4-landscape", published["paper"]!.GetValue<string>());
        Assert.Equal(version + 1, await platform.CountAsync("select version from apps where key = $1", key));
        var stored = await ApiAssert.JsonAsync(await admin.GetAsync(url), HttpStatusCode.OK);
        Assert.Equal("<h3>{{title}}</h3>{{qr:record}}", stored["html"]!.GetValue<string>());
        var note = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"/api/apps/{key}/entities/note/records", new { data = new { title = "横向" } }), HttpStatusCode.Created);
        var page = await PageAsync(await admin.GetAsync($"/api/apps/{key}/print/label?ids={note["id"]}"));
        Assert.Contains("size: A4 landscape", page, StringComparison.Ordinal);
        Assert.Contains("<h3>横向</h3><img class=\"print-qr\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/apps/{key}/print-templates/nothing")).StatusCode);
    }

    [GeneratedRegex("<section class=\"print-sheet\" data-record=\"([0-9a-f-]+)\">")]
    private static partial Regex SheetId();
}
