using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>The runtime against a test database, served by real Kestrel on a free port so tests (and the browser) use real HTTP.</summary>
public sealed class PlatformApiFactory(string connectionString, string demo = "full") : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-test-1";

    /// <summary>Where this runtime keeps uploads: a fresh temporary directory per factory.</summary>
    public string FilesDir { get; } = Directory.CreateTempSubdirectory("platform-files-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Platform", connectionString);
        builder.UseSetting("Platform:Demo", demo);
        builder.UseSetting("Platform:ImportSample", "true");
        builder.UseSetting("Platform:AdminPassword", AdminPassword);
        builder.UseSetting("Platform:FilesDir", FilesDir);

        // Every test signs in from 127.0.0.1; the per-address sign-in limit has tests of its own (Security/).
        builder.UseSetting("Platform:LoginRequestsPerMinute", "100000");
        builder.UseEnvironment("Development");
    }
}
