using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddScoped<IAppDirectory, AppDirectory>();
        services.AddScoped<IReportSource, ReportSource>();
        services.AddScoped<ISignInService, CookieSignInService>();
        return services;
    }

    public static WebApplication MapPlatformUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });
        return app;
    }
}
