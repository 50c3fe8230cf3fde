using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// The scope lab app (Fixtures/scope-lab.json): accounts read by department for customer service and with their name
/// hidden from quality, and memos that reference an account (by id) and look one up (by code, copying its name).
/// </summary>
internal static class ScopeLab
{
    public const string Api = "/api/apps/scope_lab";
    public const string Accounts = Api + "/entities/account/records";
    public const string Memos = Api + "/entities/memo/records";

    public static async Task EnsureAsync(PlatformFixture platform)
    {
        if (await platform.CountAsync("select count(*) from apps where key = 'scope_lab'") == 0)
        {
            using var admin = await platform.ClientForAsync("admin");
            var package = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "Fixtures", "scope-lab.json")))!;
            await ApiAssert.JsonAsync(await admin.PostAsJsonAsync("/api/apps/import", package), HttpStatusCode.Created);
        }
    }

    /// <summary>A new account created by <paramref name="user"/> (so owned by their department): its id, name and code.</summary>
    public static async Task<(Guid Id, string Name, string Code)> AccountAsync(PlatformFixture platform, string user)
    {
        using var client = await platform.ClientForAsync(user);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var name = $"{user} 机密客户 {tag}";
        var code = $"AC-{tag}";
        var created = await ApiAssert.JsonAsync(await client.PostAsJsonAsync(Accounts, Attack.Body(new JsonObject { ["name"] = name, ["code"] = code })), HttpStatusCode.Created);
        return (Guid.Parse(created["id"]!.GetValue<string>()), name, code);
    }
}
