namespace Platform.Runtime.Hosting;

/// <summary>The middleware pipeline, in order.</summary>
public static class PlatformApplicationBuilderExtensions
{
    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ReadinessMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
