using System.Text.RegularExpressions;

namespace Platform.Runtime.Hosting;

/// <summary>
/// The security headers of every response. The content security policy allows only this origin's scripts (Blazor,
/// MudBlazor, echarts and x6 are all served from here and need no eval); inline styles stay allowed because MudBlazor
/// and Blazor's reconnect dialog set style attributes. Frames: no page may be framed, except public form pages
/// (<c>/f/{token}</c>) by this origin and <see cref="PlatformSettings.EmbedAllowedOrigins"/>.
/// </summary>
public sealed partial class SecurityHeaders
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'";

    public SecurityHeaders(PlatformSettings settings)
    {
        var bad = settings.EmbedAllowedOrigins.Where(o => !OriginPattern().IsMatch(o)).ToList();
        if (bad.Count > 0)
        {
            throw new InvalidOperationException(
                $"Platform:EmbedAllowedOrigins: {string.Join(", ", bad.Select(b => $"'{b}'"))} is not an origin like https://www.example.com (or https://*.example.com)");
        }

        EmbedOrigins = settings.EmbedAllowedOrigins.Select(o => o.TrimEnd('/')).ToList();
        PagePolicy = Policy + "; frame-ancestors 'none'";
        EmbeddablePolicy = Policy + "; frame-ancestors 'self'" + string.Concat(EmbedOrigins.Select(o => " " + o));
    }

    /// <summary>The origins allowed to frame public form pages.</summary>
    public IReadOnlyList<string> EmbedOrigins { get; }

    /// <summary>The policy of every response but public form pages.</summary>
    public string PagePolicy { get; }

    /// <summary>The policy of public form pages.</summary>
    public string EmbeddablePolicy { get; }

    /// <summary>Whether <paramref name="path"/> is a public form page, the one kind of page other sites may frame.</summary>
    public static bool IsEmbeddable(PathString path) => path.StartsWithSegments("/f");

    /// <summary>Adds the headers the response does not set itself (files keep their own, stricter policy).</summary>
    public void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        var embeddable = IsEmbeddable(http.Request.Path);
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = embeddable ? EmbeddablePolicy : PagePolicy;
        }

        headers.XContentTypeOptions = "nosniff";
        if (string.IsNullOrEmpty(headers["Referrer-Policy"]))
        {
            headers["Referrer-Policy"] = "same-origin";
        }

        // X-Frame-Options cannot name other sites: where embedding sites are configured only frame-ancestors speaks.
        if (!embeddable)
        {
            headers.XFrameOptions = "DENY";
        }
        else if (EmbedOrigins.Count == 0)
        {
            headers.XFrameOptions = "SAMEORIGIN";
        }
        else
        {
            headers.Remove("X-Frame-Options");
        }

        if (http.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=15552000";
        }
    }

    [GeneratedRegex(@"^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?/?$")]
    private static partial Regex OriginPattern();
}
