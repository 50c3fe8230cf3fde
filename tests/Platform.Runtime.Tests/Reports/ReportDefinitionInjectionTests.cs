using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// SQL in a package's report and dashboard definitions (keys, field paths, kinds, buckets, operators, aggregates, sorts,
/// maps, widget references) is refused by the validator with a 422 at its path before anything is written or compiled;
/// SQL in a filter value is just a value: the import succeeds and the report matches it literally.
/// </summary>
[Collection("platform")]
public sealed class ReportDefinitionInjectionTests(PlatformFixture platform)
{
    private const string Drop = "'); drop table records; --";

    public static TheoryData<string, string, string> Mutations() => new()
    {
        // path to set (report index as in report-lab.json), JSON value, the problem path expected
        { "reports[0].key", $"\"by_status{Drop}\"", "$.reports[0].key" },
        { "reports[0].dimensions[0].key", "\"status\\\" from records; --\"", "$.reports[0].dimensions[0].key" },
        { "reports[0].dimensions[0].field", $"\"status{Drop}\"", "$.reports[0].dimensions[0].field" },
        { "reports[0].measures[0].key", "\"n\\\"; drop table records; --\"", "$.reports[0].measures[0].key" },
        { "reports[0].measures[0].kind", "\"count(*)); drop table records; --\"", "$.reports[0].measures[0].kind" },
        { "reports[0].measures[1].where[0].field", "\"urgent'::boolean or true --\"", "$.reports[0].measures[1].where[0].field" },
        { "reports[0].measures[1].where[0].op", "\"= true or true --\"", "$.reports[0].measures[1].where[0].op" },
        { "reports[0].filters[0].field", "\"name' or '1'='1\"", "$.reports[0].filters[0].field" },
        { "reports[0].filters[0].op", "\"is not null or 1=1 --\"", "$.reports[0].filters[0].op" },
        { "reports[0].parameters[1].key", "\"region'; --\"", "$.reports[0].parameters[1].key" },
        { "reports[0].parameters[1].field", "\"region') or ('1'='1\"", "$.reports[0].parameters[1].field" },
        { "reports[0].parameters[1].op", "\"eq' or 1=1 --\"", "$.reports[0].parameters[1].op" },
        { "reports[0].sort[0].by", "\"n desc; drop table records; --\"", "$.reports[0].sort[0].by" },
        { "reports[0].entity", "\"ticket' or 1=1 --\"", "$.reports[0].entity" },
        { "reports[1].dimensions[0].bucket", "\"month') || pg_sleep(5) || ('\"", "$.reports[1].dimensions[0].bucket" },
        { "reports[1].measures[0].field", "\"amount')::numeric) from records; --\"", "$.reports[1].measures[0].field" },
        { "reports[1].measures[+]", "{ \"key\": \"d\", \"kind\": \"duration\", \"from\": \"createdAt\", \"to\": \"updatedAt\", \"aggregate\": \"avg(1)) from pg_sleep(5); --\" }", "$.reports[1].measures[3].aggregate" },
        { "reports[1].measures[+]", "{ \"key\": \"d\", \"kind\": \"duration\", \"from\": \"createdAt' or '1\", \"to\": \"updatedAt\" }", "$.reports[1].measures[3].from" },
        { "reports[1].measures[+]", "{ \"key\": \"o\", \"kind\": \"count\", \"entity\": \"owner\", \"map\": { \"month\": \"createdAt\", \"region\": \"region" + Drop + "\" } }", "$.reports[1].measures[3].map.region" },
        { "reports[1].measures[+]", "{ \"key\": \"o\", \"kind\": \"count\", \"entity\": \"owner; drop table records\" }", "$.reports[1].measures[3].entity" },
        { "reports[+]", "{ \"key\": \"f\", \"name\": \"f\", \"flow\": \"flow' or 1=1 --\", \"measures\": [ { \"key\": \"n\", \"kind\": \"count\" } ] }", "$.reports[12].flow" },
        { "dashboards[0].key", "\"lab'; --\"", "$.dashboards[0].key" },
        { "dashboards[0].widgets[0].report", "\"by_status'; drop table records; --\"", "$.dashboards[0].widgets[0].report" },
        { "entities[1].fields[0].key", $"\"name{Drop}\"", "$.entities[1].fields[0].key" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task Import_Is422AtThePath_WhenADefinitionCarriesSql(string path, string value, string problem)
    {
        var key = "inj_def_" + Guid.NewGuid().ToString("N")[..8];
        var package = ReportLab.Package(key);
        Set(package, path, JsonNode.Parse(value));
        var before = await CountsAsync();

        using var admin = await platform.ClientForAsync("admin");
        var fields = await ApiAssert.InvalidFieldsAsync(await admin.PostAsJsonAsync("/api/apps/import", package));

        Assert.Contains(problem, fields);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(0, await platform.CountAsync("select count(*) from apps where key = $1", key));
        Assert.Equal(0, await platform.CountAsync("select count(*) from report_rollup_defs where app_key = $1", key));
    }

    [Fact]
    public async Task Import_Succeeds_AndTheReportMatchesTheValueLiterally_WhenAFilterValueLooksLikeSql()
    {
        var key = "inj_val_" + Guid.NewGuid().ToString("N")[..8];
        var package = ReportLab.Package(key);
        foreach (var report in package["reports"]!.AsArray().Where(r => r!["key"]!.GetValue<string>() is "by_status" or "names"))
        {
            report!["filters"] = JsonNode.Parse("""[ { "field": "name", "op": "in", "value": [ "' or 1=1 --", "'); drop table records; --", "$$ or 1=1 $$", "$body$ or 1=1; $body$ --" ] } ]""");
        }

        await ReportLab.ImportAsync(platform, package);

        using var client = await platform.ClientForAsync("admin");
        var names = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{key}/reports/names/data"), HttpStatusCode.OK);
        Assert.Equal(["' or 1=1 --", "'); drop table records; --"], names["rows"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var rolled = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{key}/reports/by_status/data"), HttpStatusCode.OK);
        Assert.Equal("rollup", rolled["source"]!.GetValue<string>());
        Assert.Equal(2, rolled["rows"]!.AsArray().Sum(r => r!["n"]!.GetValue<long>()));
        var raw = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{key}/reports/by_status/data?filter=id:notEmpty:x"), HttpStatusCode.OK);
        Assert.Equal(raw["rows"]!.ToJsonString(), rolled["rows"]!.ToJsonString());
        Assert.True(await platform.CountAsync("select count(*) from records") > 0);
    }

    private async Task<(long Apps, long Records, long Defs)> CountsAsync() => (
        await platform.CountAsync("select count(*) from apps"),
        await platform.CountAsync("select count(*) from records"),
        await platform.CountAsync("select count(*) from report_rollup_defs"));

    /// <summary>Sets <paramref name="path"/> (<c>reports[0].measures[1].key</c>; <c>[+]</c> appends) in the package.</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode node = root;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var last = i == segments.Length - 1;
            if (bracket < 0)
            {
                if (last)
                {
                    node[name] = value;
                    return;
                }

                node = node[name]!;
                continue;
            }

            var array = node[name]!.AsArray();
            var index = segment[(bracket + 1)..^1];
            if (index == "+")
            {
                array.Add(value);
                return;
            }

            if (last)
            {
                array[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)] = value;
                return;
            }

            node = array[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]!;
        }
    }
}
