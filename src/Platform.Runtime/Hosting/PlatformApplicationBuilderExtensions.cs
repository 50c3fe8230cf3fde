namespace Platform.Runtime.Hosting;

/// <summary>The middleware pipeline, in order.</summary>
public static class PlatformApplicationBuilderExtensions
{
    public static WebApplication UsePlatform(this WebApplication app)
    {
        // First: everything after it (rate limits, links, cookies) sees the client's address and scheme, not the proxy's.
        app.UseForwardedHeaders();
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
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
