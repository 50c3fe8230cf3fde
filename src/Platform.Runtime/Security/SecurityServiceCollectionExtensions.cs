using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>Registers authentication (bearer for API clients, cookie for the browser), authorization, users and the sign-in limits.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>The rate-limiter partition prefix of sign-in attempts (API, login page and password change share one budget per address).</summary>
    public const string LoginPartition = "login/";

    public static IServiceCollection AddPlatformSecurity(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddDataProtection().SetApplicationName("platform");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<PostgresXmlRepository>()));
        services.AddSingleton<PostgresXmlRepository>();

        var accounts = settings.Accounts;
        services.AddAuthentication(PlatformRoles.Scheme)
            .AddPolicyScheme(PlatformRoles.Scheme, "Bearer or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = TimeSpan.FromMinutes(accounts.BearerTokenMinutes))
            .AddCookie(o =>
            {
                o.Cookie.Name = "platform.auth";
                o.Cookie.HttpOnly = true;

                // Lax, not Strict: a link from a notification e-mail must open the page signed in. Cross-site API writes are
                // stopped by CsrfProtectionMiddleware instead.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(accounts.CookieMinutes);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;

            // SecurityHeaders decides framing: public form pages may be embedded by the configured sites.
            o.SuppressXFrameOptionsHeader = true;
        });

        // Same purpose strings as the framework's default protector, so tokens stay valid; verified ones are remembered.
        services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .Configure<IDataProtectionProvider, TimeProvider>((o, dp, time) => o.BearerTokenProtector = new CachingTicketFormat(
                new TicketDataFormat(dp.CreateProtector("Microsoft.AspNetCore.Authentication.BearerToken", BearerTokenDefaults.AuthenticationScheme, "BearerToken")),
                time));

        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(PlatformRoles.Admin))
            .AddPolicy(PlatformRoles.DesignerPolicy, p => p.RequireAuthenticatedUser().RequireRole(PlatformRoles.Admin, PlatformRoles.Designer));

        // Sign-in attempts per client address, the API and the login page together (the address is the real client's
        // behind a known proxy: ForwardedHeaders runs first).
        var perMinute = settings.LoginRequestsPerMinute;
        services.AddRateLimiter(o => o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http.Request)
            ? RateLimitPartition.GetFixedWindowLimiter(
                LoginPartition + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(string.Empty)));

        services.AddSingleton<IPasswordHasher<UserRow>, PasswordHasher<UserRow>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<LoginLockout>();
        services.AddSingleton<LoginService>();
        services.AddSingleton<PasswordChange>();
        services.AddSingleton<SessionGuard>();
        return services;
    }

    /// <summary>Whether the request checks a password: the login API, the login page's form post, "change my password".</summary>
    public static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/api/auth/password", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/api/account/password", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase));

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
