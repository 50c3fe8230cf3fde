using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// One runtime node for the security tests, on real Kestrel: low sign-in and tracking limits, 127.0.0.1 as the only known
/// proxy (so a test picks its client address with X-Forwarded-For, and a connection from 127.0.0.2 is an unknown proxy),
/// a small body limit, one embedding site, and a one-second session check so revocations reach the other node quickly.
/// </summary>
public sealed class SecurityNodeFactory(string connectionString, string node) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-security-1";

    public const int LoginPerMinute = 6;

    public const int TrackPerMinute = 8;

    public const int MaxBodyBytes = 256 * 1024;

    public const string EmbedOrigin = "https://www.example.com";

    public string FilesDir { get; } = Directory.CreateTempSubdirectory("platform-files-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Platform", connectionString);
        builder.UseSetting("Platform:Demo", "users");
        builder.UseSetting("Platform:ImportSample", "true");
        builder.UseSetting("Platform:AdminPassword", AdminPassword);
        builder.UseSetting("Platform:FilesDir", FilesDir);
        builder.UseSetting("Platform:NodeName", node);
        builder.UseSetting("Platform:LoginRequestsPerMinute", LoginPerMinute.ToString());
        builder.UseSetting("Platform:TrackRequestsPerMinute", TrackPerMinute.ToString());
        builder.UseSetting("Platform:KnownProxies:0", "127.0.0.1");
        builder.UseSetting("Platform:EmbedAllowedOrigins:0", EmbedOrigin);
        builder.UseSetting("Platform:MaxRequestBodyBytes", MaxBodyBytes.ToString());
        builder.UseSetting("Platform:Accounts:SessionCheckSeconds", "1");
        builder.UseSetting("Platform:Accounts:CircuitCheckSeconds", "2");
        builder.UseEnvironment("Development");
    }
}
