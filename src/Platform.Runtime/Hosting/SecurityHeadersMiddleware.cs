namespace Platform.Runtime.Hosting;

/// <summary>Puts <see cref="SecurityHeaders"/> on every response, error pages included, once the endpoint has set its own.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, SecurityHeaders headers)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            headers.Apply(http);
            return Task.CompletedTask;
        });
        return next(http);
    }
}
