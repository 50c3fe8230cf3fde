using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// The report lab package (Fixtures/report-lab.json: owners and tickets with payload-like names, rolled-up and raw
/// reports, a dashboard) imported under a key of the test's choosing, so tests that write records own their data.
/// </summary>
internal static class ReportLab
{
    public static JsonObject Package(string appKey)
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Fixtures", "report-lab.json")))!.AsObject();
        package["app"]!["key"] = appKey;
        return package;
    }

    /// <summary>Imports the package (or a changed one) as admin and returns the import answer.</summary>
    public static async Task<JsonObject> ImportAsync(PlatformFixture platform, JsonObject package, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var admin = await platform.ClientForAsync("admin");
        return await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), expected);
    }

    /// <summary>Imports the lab under <paramref name="appKey"/> once per fixture (a second import of the same package changes nothing).</summary>
    public static async Task EnsureAsync(PlatformFixture platform, string appKey)
    {
        if (await platform.CountAsync("select count(*) from apps where key = $1", appKey) == 0)
        {
            await ImportAsync(platform, Package(appKey));
        }
    }
}
