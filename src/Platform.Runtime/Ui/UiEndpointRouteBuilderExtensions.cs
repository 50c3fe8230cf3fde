using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Platform.Designer;
using Platform.Designer.Services;

namespace Platform.Runtime.Ui;

/// <summary>Registers and maps the Blazor designer and runtime UI (interactive server, MudBlazor).</summary>
public static class UiEndpointRouteBuilderExtensions
{
    public static IServiceCollection AddPlatformUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();

        // Chinese text as itself in prerendered HTML, not as &#x…; entities (a third of the bytes on a phone).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddCascadingAuthenticationState();

        // Open circuits look at their session again every Accounts:CircuitCheckSeconds, so a revoked sign-in also ends pages already open.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddMudServices();
        services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitCounter>();
        services.AddScoped<IAppDirectory, AppDirectory>();
        services.AddScoped<IReportSource, ReportSource>();
        services.AddScoped<ISignInService, CookieSignInService>();
        services.AddScoped<IAccountSecurity, AccountSecurity>();
        services.AddScoped<IAppDesigner, AppDesigner>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<IFileUploads, FileUploads>();
        services.AddScoped<IPublicForms, PublicForms>();
        services.AddScoped<IRecordForms, RecordForms>();
        services.AddScoped<IRecordLookups, RecordLookups>();
        services.AddScoped<IRecordBrowser, RecordBrowser>();
        services.AddScoped<ITaskDesk, TaskDesk>();
        services.AddScoped<IMobileJobs, MobileDesk>();
        services.AddScoped<ITrackingSource, TrackingSource>();
        services.AddScoped<ICustomerPortal, CustomerPortal>();
        services.AddScoped<IFlowDesignSource, FlowDesignSource>();
        services.AddScoped<IRuleDesigner, RuleDesigner>();
        services.AddScoped<IReportDesigner, ReportDesigner>();
        services.AddScoped<IOrganisationAdmin, OrganisationAdmin>();
        services.AddScoped<IPrintDesigner, PrintDesigner>();
        return services;
    }

    public static WebApplication MapPlatformUi(this WebApplication app)
    {
        app.MapStaticAssets();
        // Framing is decided by SecurityHeaders (public form pages may be embedded), not by Blazor's own frame-ancestors header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => { o.ContentSecurityFrameAncestorsPolicy = null; o.DisableWebSocketCompression = true; });
        // The language switch: remembers the choice in the culture cookie and reloads the page the user was on.
        app.MapGet("/culture", (HttpContext http, string? c, string? redirect) =>
        {
            var culture = Platform.Designer.Localization.Text.Cultures.Contains(c ?? string.Empty) ? c! : Platform.Designer.Localization.Text.Cultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
            return Results.LocalRedirect(redirect is { Length: > 0 } && redirect.StartsWith('/') && !redirect.StartsWith("//") && !redirect.StartsWith("/\\") ? redirect : "/");
        }).AllowAnonymous();
        // The layout's sign-out form carries an antiforgery token; logging out ends the session on every node.
        app.MapPost("/account/logout", async (HttpContext http, Security.SessionGuard sessions, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(title: "Antiforgery token missing or invalid / 请求校验失败", statusCode: StatusCodes.Status400BadRequest);
            }

            await sessions.RevokeSessionAsync(http.User, http.RequestAborted);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        }).DisableAntiforgery();
        // After "change my password" on /account: the fresh cookie for the browser whose session asked (its old cookie,
        // revoked by the new stamp, still names that session), within a minute and only while the stamp is current.
        app.MapGet("/account/resume", async (HttpContext http, string? ticket, Security.UserStore users, Security.LoginService login,
            IDataProtectionProvider protection, Microsoft.Extensions.Options.IOptionsMonitor<CookieAuthenticationOptions> cookies) =>
        {
            string[] parts;
            try
            {
                parts = ticket is null ? [] : AccountSecurity.Protector(protection).Unprotect(ticket, out _).Split('\n');
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                parts = [];
            }

            var options = cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme);
            var raw = options.CookieManager.GetRequestCookie(http, options.Cookie.Name!);
            var asked = raw is null ? null : options.TicketDataFormat.Unprotect(raw)?.Principal;
            if (parts.Length != 3 || asked?.Identity?.Name != parts[0] || asked.FindFirst(Security.SessionClaims.SessionId)?.Value != parts[1]
                || await users.FindAsync(parts[0], http.RequestAborted) is not { IsActive: true } user || user.SecurityStamp != parts[2])
            {
                return Results.LocalRedirect("/login");
            }

            await login.SignInCookieAsync(http, user, Guid.CreateVersion7());
            return Results.LocalRedirect("/account?changed=1");
        }).AllowAnonymous();
        return app;
    }
}
