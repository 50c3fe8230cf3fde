using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>Registers authentication (bearer for API clients, cookie for the browser), authorization and users.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformSecurity(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("platform");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<PostgresXmlRepository>()));
        services.AddSingleton<PostgresXmlRepository>();

        services.AddAuthentication(PlatformRoles.Scheme)
            .AddPolicyScheme(PlatformRoles.Scheme, "Bearer or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = TimeSpan.FromHours(8))
            .AddCookie(o =>
            {
                o.Cookie.Name = "platform.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            });

        // Same purpose strings as the framework's default protector, so tokens stay valid; verified ones are remembered.
        services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .Configure<IDataProtectionProvider, TimeProvider>((o, dp, time) => o.BearerTokenProtector = new CachingTicketFormat(
                new TicketDataFormat(dp.CreateProtector("Microsoft.AspNetCore.Authentication.BearerToken", BearerTokenDefaults.AuthenticationScheme, "BearerToken")),
                time));

        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(PlatformRoles.Admin))
            .AddPolicy(PlatformRoles.DesignerPolicy, p => p.RequireAuthenticatedUser().RequireRole(PlatformRoles.Admin, PlatformRoles.Designer));

        services.AddSingleton<IPasswordHasher<UserRow>, PasswordHasher<UserRow>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TokenIssuer>();
        return services;
    }

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
