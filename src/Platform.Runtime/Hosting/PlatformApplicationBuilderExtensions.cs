namespace Platform.Runtime.Hosting;

/// <summary>The middleware pipeline, in order.</summary>
public static class PlatformApplicationBuilderExtensions
{
    public static WebApplication UsePlatform(this WebApplication app)
    {
        // First: everything after (rate limits, Secure cookies, logs) sees the real client behind a known proxy.
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ReadinessMiddleware>();

        // zh-CN unless the user picked English (cookie, or ?culture= once); a browser's Accept-Language does not switch it.
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Platform.Designer.Localization.Text.Cultures[0])
                .AddSupportedCultures([.. Platform.Designer.Localization.Text.Cultures])
                .AddSupportedUICultures([.. Platform.Designer.Localization.Text.Cultures]);
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.QueryStringRequestCultureProvider(), new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider()];
        });
        app.UseAuthentication();
        app.UseMiddleware<Security.SessionValidationMiddleware>();
        app.UseMiddleware<Security.CsrfProtectionMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
