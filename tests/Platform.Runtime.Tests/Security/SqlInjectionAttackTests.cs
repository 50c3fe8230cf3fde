using System.Net;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// SQL injection through every query input a department-scoped user has — list filter field, operator and value, sort,
/// page, pageSize, report parameters and filters, drill point values, export filters: a 422 naming the input or a 200
/// whose rows are still only the caller's (never widened), never a 500, and every table intact.
/// (The report engine's own injection matrix is ReportInjectionTests; this one is about widening a row scope.)
/// </summary>
[Collection("platform")]
public sealed class SqlInjectionAttackTests(PlatformFixture platform)
{
    private static readonly string[] Payloads =
    [
        "' or 1=1--",
        "\"; drop table records;--",
        "x') union select id, app_key, entity_key, data::text, version, definition_version, created_at, created_by, updated_at, updated_by, 1 from records--",
        "1) or (1=1",
        "cs01' or created_by <> 'cs01",
        "a\u0000b",
        "%' or '%'='",
        "$1",
        "') or true or ('",
    ];

    private static string E(string s) => Uri.EscapeDataString(s);

    [Fact]
    public async Task EveryQueryInput_Answers422Or200WithOnlyTheCallersRecords_NeverA500_AndTheTablesStay()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var visible = await Attack.VisibleToCustomerServiceAsync(platform, "return_request", "cs01", "cs_east");
        var tables = await platform.CountAsync("select count(*) from pg_tables where schemaname = 'public'");
        var records = await platform.CountAsync("select count(*) from records");
        const string List = Attack.App + "/entities/return_request/records";
        const string Reports = Attack.App + "/reports";
        var failures = new List<string>();
        var answered = 0;

        foreach (var payload in Payloads)
        {
            var p = E(payload);
            foreach (var url in new[]
            {
                $"{List}?filter={p}:eq:x", $"{List}?filter=reason:{p}:x", $"{List}?filter=reason:eq:{p}", $"{List}?filter=createdBy:eq:{p}",
                $"{List}?filter=reason:in:quality|{p}", $"{List}?filter=quantity:gt:{p}", $"{List}?filter=createdAt:ge:{p}", $"{List}?filter=id:in:{Guid.CreateVersion7()}|{p}",
                $"{List}?filter=customer_name:contains:{p}", $"{List}?sort={p}", $"{List}?sort=-{p}", $"{List}?page={p}", $"{List}?pageSize={p}",
                $"{List}/export?format=csv&filter=reason:eq:{p}", $"{List}/export?format=csv&filter={p}:eq:x", $"{List}/export?format={p}",
                $"{Reports}/return_reasons/data?kind={p}", $"{Reports}/return_reasons/data?period={p}", $"{Reports}/return_reasons/data?filter=reason:eq:{p}",
                $"{Reports}/return_reasons/data?filter={p}:eq:x", $"{Reports}/return_reasons/data?filter=createdBy:in:cs01|{p}", $"{Reports}/category_analysis/data?region={p}",
                $"{Reports}/return_reasons/drill?point.reason={p}", $"{Reports}/return_reasons/drill?point.{p}=quality", $"{Reports}/return_reasons/drill?point.reason=quality&measure={p}",
                $"{Reports}/return_reasons/drill?point.reason=quality&page={p}", $"{List}?drill=return_reasons&point.reason={p}", $"{List}?drill={p}",
                $"{Reports}/return_reasons/export?format=csv&kind={p}&filter=reason:eq:{p}", $"{Attack.App}/dashboards/after_sales_overview/data?period={p}&region={p}&category={p}",
            })
            {
                var response = await cs01.GetAsync(url);
                var text = await response.Content.ReadAsStringAsync();
                answered++;
                if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || JsonNode.Parse(text)?["errors"] is not JsonObject { Count: > 0 })
                    {
                        failures.Add($"{url}: 422 without errors: {text}");
                    }

                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{url}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
                    continue;
                }

                if (response.Content.Headers.ContentType?.MediaType == "application/json" && JsonNode.Parse(text) is JsonObject { } body && body["items"] is JsonArray items)
                {
                    var outside = items.Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).Where(id => !visible.Contains(id)).ToList();
                    if (outside.Count > 0 || body["total"]!.GetValue<long>() > visible.Count)
                    {
                        failures.Add($"{url}: widened to {body["total"]} rows, {outside.Count} not cs01's");
                    }
                }
                else if (url.Contains("/data", StringComparison.Ordinal) && url.Contains("return_reasons", StringComparison.Ordinal)
                    && JsonNode.Parse(text)!["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<long>()) > visible.Count)
                {
                    failures.Add($"{url}: report counts more than cs01's {visible.Count} returns");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(answered >= 250);
        Assert.Equal(tables, await platform.CountAsync("select count(*) from pg_tables where schemaname = 'public'"));
        Assert.Equal(records, await platform.CountAsync("select count(*) from records"));

        // And a normal request still works on the same pooled connections.
        Assert.Equal(visible.Count, (await ApiAssert.JsonAsync(await cs01.GetAsync($"{List}?pageSize=1"), HttpStatusCode.OK))["total"]!.GetValue<long>());
    }
}
