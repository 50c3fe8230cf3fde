using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Mobile;

/// <summary>
/// The field engineer's jobs through HTTP: only the assignee sees and acts on a job, completing the execute step
/// needs the customer's signature (required at the step, checked by the flow engine), and parts recorded on a job go
/// through the records path so rule deduct_stock lowers the stock (and restore_stock gives it back on removal).
/// </summary>
[Collection("platform")]
public sealed class MobileJobsApiTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    [Fact]
    public async Task Jobs_ListTheAssigneesOpenFieldJob_WithMapAndPhoneLinks_MostUrgentFirst()
    {
        var address = $"杭州市西湖区文三路 {Random.Shared.Next(100, 999)} 号";
        var job = await FieldJobs.CreateForAsync(platform, "eng01", address);
        using var eng01 = await platform.ClientForAsync("eng01");
        using var eng02 = await platform.ClientForAsync("eng02");

        var list = (await eng01.GetFromJsonAsync<JsonArray>("/api/mobile/jobs"))!.Select(j => j!.AsObject()).ToList();
        var card = list.Single(j => j["taskId"]!.GetValue<string>() == job.Task.ToString());
        Assert.Equal(job.TicketNo, card["title"]!.GetValue<string>());
        Assert.Equal("陈女士", card["customer"]!.GetValue<string>());
        Assert.Equal(address, card["address"]!.GetValue<string>());
        Assert.Equal("https://uri.amap.com/search?keyword=" + Uri.EscapeDataString(address) + "&src=platform.mobile&callnative=1", card["mapUrl"]!.GetValue<string>());
        Assert.Equal("tel:13812345678", card["phoneUrl"]!.GetValue<string>());
        Assert.Equal("urgent", card["priority"]!["value"]!.GetValue<string>());
        Assert.Equal("execute", card["step"]!.GetValue<string>());
        var ranks = list.Select(j => j["priority"]?["rank"]?.GetValue<int>() ?? -1).ToList();
        Assert.Equal(ranks.OrderByDescending(r => r), ranks);

        Assert.DoesNotContain((await eng02.GetFromJsonAsync<JsonArray>("/api/mobile/jobs"))!, j => j!["taskId"]!.GetValue<string>() == job.Task.ToString());
    }

    [Fact]
    public async Task Job_IsNotFound_ForAnyoneButTheAssignee_AndTheirActionsAreRefused()
    {
        var job = await FieldJobs.CreateForAsync(platform, "eng01");
        using var eng01 = await platform.ClientForAsync("eng01");
        using var eng02 = await platform.ClientForAsync("eng02");
        using var cs = await platform.ClientForAsync("cs01");
        var part = await PartAsync(eng01, minStock: 1);

        var mine = await ApiAssert.JsonAsync(await eng01.GetAsync($"/api/mobile/jobs/{job.Task}"), HttpStatusCode.OK);
        Assert.Equal("customer_signature", mine["signatureField"]!.GetValue<string>());
        Assert.Equal("work_photos", mine["workPhotosField"]!.GetValue<string>());
        Assert.Contains(mine["details"]!.AsArray(), d => d!["key"]!.GetValue<string>() == "type" && d["text"]!.GetValue<string>() == "维修");

        foreach (var other in new[] { eng02, cs })
        {
            await ApiAssert.JsonAsync(await other.GetAsync($"/api/mobile/jobs/{job.Task}"), HttpStatusCode.NotFound);
            await ApiAssert.JsonAsync(await other.GetAsync($"/api/mobile/jobs/{job.Task}/parts/options?q=a"), HttpStatusCode.NotFound);
            await ApiAssert.JsonAsync(await other.PostAsJsonAsync($"/api/mobile/jobs/{job.Task}/parts", new { part, quantity = 1 }), HttpStatusCode.NotFound);
            await ApiAssert.JsonAsync(await other.PostAsJsonAsync($"/api/tasks/{job.Task}/actions", new { action = "approve" }), HttpStatusCode.Forbidden);
        }

        // An id that names no task is no job either; nothing was recorded and the task is still open.
        await ApiAssert.JsonAsync(await eng01.GetAsync($"/api/mobile/jobs/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await platform.CountAsync(
            "select count(*) from records where entity_key = 'part_usage' and data->>'service_request' = $1", job.Record.ToString()));
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open'", job.Task));
    }

    [Fact]
    public async Task Complete_IsRefusedWithoutTheCustomerSignature_AndMovesOnWithIt()
    {
        var job = await FieldJobs.CreateForAsync(platform, "eng01");
        using var eng01 = await platform.ClientForAsync("eng01");

        // Work photos go into the step's field with a comment action and stay while the job is open.
        var photo = await FieldJobs.UploadAsync(eng01, "work_photos", FieldJobs.PhotoPng());
        await ApiAssert.JsonAsync(await eng01.PostAsJsonAsync($"/api/tasks/{job.Task}/actions", new
        {
            action = "comment", comment = "上传施工照片", fields = new JsonObject { ["work_photos"] = new JsonArray(photo) },
        }), HttpStatusCode.OK);

        // The refusal is keyed by the field's path and names it by its label, in the request's language.
        var refused = await eng01.PostAsJsonAsync($"/api/tasks/{job.Task}/actions", new { action = "approve", comment = "已修好" });
        var message = SignatureProblem(await ApiAssert.JsonAsync(refused, HttpStatusCode.UnprocessableEntity));
        Assert.Contains("客户签字", message);
        Assert.DoesNotContain("customer_signature", message);
        var refusedEn = await eng01.PostAsJsonAsync($"/api/tasks/{job.Task}/actions?culture=en", new { action = "approve", comment = "Fixed" });
        var messageEn = SignatureProblem(await ApiAssert.JsonAsync(refusedEn, HttpStatusCode.UnprocessableEntity));
        Assert.Contains("Customer signature", messageEn);
        Assert.DoesNotContain("customer_signature", messageEn);
        Assert.Equal(1, await platform.CountAsync("select count(*) from flow_tasks where id = $1 and status = 'open'", job.Task));

        // The signature is only taken from the assignee's action at this step: customer service cannot write it.
        using var cs = await platform.ClientForAsync("cs01");
        var signature = await FieldJobs.UploadAsync(eng01, "customer_signature", FieldJobs.TinyPng, "signature.png");
        var record = await ApiAssert.JsonAsync(await cs.GetAsync($"{Records}/service_request/records/{job.Record}"), HttpStatusCode.OK);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"{Records}/service_request/records/{job.Record}")
        {
            Content = JsonContent.Create(new { data = new JsonObject { ["customer_signature"] = new JsonArray(signature) } }),
        };
        patch.Headers.TryAddWithoutValidation("If-Match", record["version"]!.ToJsonString());
        await cs.SendAsync(patch);
        record = await ApiAssert.JsonAsync(await cs.GetAsync($"{Records}/service_request/records/{job.Record}"), HttpStatusCode.OK);
        Assert.Null(record["data"]!["customer_signature"]);

        var done = await ApiAssert.JsonAsync(await eng01.PostAsJsonAsync($"/api/tasks/{job.Task}/actions", new
        {
            action = "approve", comment = "更换温控器后制冷正常", fields = new JsonObject { ["customer_signature"] = new JsonArray(signature) },
        }), HttpStatusCode.OK);
        Assert.Equal(["follow_up"], done["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        record = await ApiAssert.JsonAsync(await cs.GetAsync($"{Records}/service_request/records/{job.Record}"), HttpStatusCode.OK);
        Assert.Equal(signature, record["data"]!["customer_signature"]![0]!.GetValue<string>());
        Assert.Equal(photo, record["data"]!["work_photos"]![0]!.GetValue<string>());
        Assert.Equal("resolved", record["data"]!["status"]!.GetValue<string>());

        // Done, the job is gone from the phone.
        await ApiAssert.JsonAsync(await eng01.GetAsync($"/api/mobile/jobs/{job.Task}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddPart_LowersTheStock_AndRemovingTheMistakeRestoresIt()
    {
        var job = await FieldJobs.CreateForAsync(platform, "eng01");
        using var eng01 = await platform.ClientForAsync("eng01");
        var part = await PartAsync(eng01, minStock: 3);
        var before = await StockAsync(eng01, part);
        var name = (await ApiAssert.JsonAsync(await eng01.GetAsync($"{Records}/spare_part/records/{part}"), HttpStatusCode.OK))["data"]!["name"]!.GetValue<string>();
        var options = (await eng01.GetFromJsonAsync<JsonArray>($"/api/mobile/jobs/{job.Task}/parts/options?q={Uri.EscapeDataString(name[..2])}"))!;
        Assert.Contains(options, o => o!["id"]!.GetValue<string>() == part && o["details"]!.AsArray().Any(d => d!["key"]!.GetValue<string>() == "stock"));

        Assert.Equal(["quantity"], await ApiAssert.InvalidFieldsAsync(await eng01.PostAsJsonAsync($"/api/mobile/jobs/{job.Task}/parts", new { part, quantity = 0 })));
        Assert.Equal(["part"], await ApiAssert.InvalidFieldsAsync(await eng01.PostAsJsonAsync($"/api/mobile/jobs/{job.Task}/parts", new { part = Guid.NewGuid(), quantity = 1 })));
        Assert.Equal(before, await StockAsync(eng01, part));

        var line = await ApiAssert.JsonAsync(await eng01.PostAsJsonAsync($"/api/mobile/jobs/{job.Task}/parts", new { part, quantity = 2 }), HttpStatusCode.Created);
        Assert.Equal(job.Record.ToString(), line["data"]!["service_request"]!.GetValue<string>());
        Assert.Equal(before - 2, await StockAsync(eng01, part));

        var detail = await ApiAssert.JsonAsync(await eng01.GetAsync($"/api/mobile/jobs/{job.Task}"), HttpStatusCode.OK);
        var listed = detail["parts"]!.AsArray().Single()!;
        Assert.Equal(line["id"]!.GetValue<string>(), listed["id"]!.GetValue<string>());
        Assert.Equal(2m, listed["quantity"]!.GetValue<decimal>());
        Assert.True(listed["canRemove"]!.GetValue<bool>());

        using var eng02 = await platform.ClientForAsync("eng02");
        await ApiAssert.JsonAsync(await eng02.DeleteAsync($"/api/mobile/jobs/{job.Task}/parts/{line["id"]}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await eng01.DeleteAsync($"/api/mobile/jobs/{job.Task}/parts/{line["id"]}")).StatusCode);
        Assert.Equal(before, await StockAsync(eng01, part));
        Assert.Empty((await ApiAssert.JsonAsync(await eng01.GetAsync($"/api/mobile/jobs/{job.Task}"), HttpStatusCode.OK))["parts"]!.AsArray());
    }

    /// <summary>A spare part with at least <paramref name="minStock"/> in stock.</summary>
    private async Task<string> PartAsync(HttpClient engineer, int minStock)
    {
        var parts = (await engineer.GetFromJsonAsync<JsonObject>($"{Records}/spare_part/records?filter=stock:ge:{minStock}&pageSize=50&sort=-stock"))!["items"]!.AsArray();
        return parts[Random.Shared.Next(parts.Count)]!["id"]!.GetValue<string>();
    }

    private static async Task<decimal> StockAsync(HttpClient client, string part) =>
        (await ApiAssert.JsonAsync(await client.GetAsync($"{Records}/spare_part/records/{part}"), HttpStatusCode.OK))["data"]!["stock"]!.GetValue<decimal>();

    private static string SignatureProblem(JsonObject problem)
    {
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["customer_signature"], errors.Select(e => e.Key));
        return errors["customer_signature"]![0]!.GetValue<string>();
    }
}
