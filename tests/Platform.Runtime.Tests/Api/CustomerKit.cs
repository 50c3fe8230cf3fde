using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>Shared steps of the customer self-service tests: fresh phones, requests for them, and the code the outbox would text.</summary>
internal static partial class CustomerKit
{
    public const string App = "after_sales";

    public const string Base = "/api/public/apps/after_sales";

    /// <summary>A mainland mobile number no demo record uses (199…).</summary>
    public static string NewPhone() => "199" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A service request for <paramref name="phone"/>, created by customer service through the records API.</summary>
    public static async Task<JsonObject> CreateServiceRequestAsync(PlatformFixture platform, string phone, string type = "repair", string description = "冰箱不制冷")
    {
        using var cs = await platform.ClientForAsync("cs01");
        var created = await cs.PostAsJsonAsync("/api/apps/after_sales/entities/service_request/records", new
        {
            data = new { type, customer_name = "林晓", phone, description, region = "east", address = "上海市浦东新区世纪大道 100 号", priority = "normal", required_skill = "basic_repair" },
        });
        return await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
    }

    /// <summary>The newest code message's text for <paramref name="phone"/> as the outbox holds it (what the SMS provider gets).</summary>
    public static async Task<string> CodeTextAsync(PlatformFixture platform, string phone)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select payload->>'text' from outbox where kind = 'sms' and payload->>'purpose' = 'customer-code' and payload->>'to' = $1 order by created_at desc limit 1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = phone });
        return (string)(await cmd.ExecuteScalarAsync() ?? throw new InvalidOperationException("no code message for " + phone));
    }

    public static async Task<string> CodeAsync(PlatformFixture platform, string phone) => SixDigits().Match(await CodeTextAsync(platform, phone)).Value;

    /// <summary>Sends a code to <paramref name="phone"/> and returns it as read from the outbox.</summary>
    public static async Task<string> SendCodeAsync(PlatformFixture platform, HttpClient client, string phone)
    {
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Base}/otp", new { phone }), HttpStatusCode.Accepted);
        return await CodeAsync(platform, phone);
    }

    /// <summary>Verifies <paramref name="phone"/> on <paramref name="client"/> (which keeps the session cookie) and returns the session token.</summary>
    public static async Task<string> SignInAsync(PlatformFixture platform, HttpClient client, string phone)
    {
        var code = await SendCodeAsync(platform, client, phone);
        var verified = await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"{Base}/otp/verify", new { phone, code }), HttpStatusCode.OK);
        return verified["token"]!.GetValue<string>();
    }

    public static async Task ExecuteAsync(PlatformFixture platform, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
